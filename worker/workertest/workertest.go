// Package workertest runs the Worker (package worker, built for GOOS=js with
// -tags workertest) inside workerd under `wrangler dev`, for tests: the KV
// conformance suite through the Worker's own KV adapter, fault injection and
// end-to-end scenarios, against the same runtime and the same JavaScript shim
// (syumai's worker.mjs) that Cloudflare runs.
//
// Every Env is its own wrangler dev process on 127.0.0.1 and a free port,
// with its own local KV (--persist-to a temporary directory), vars from an
// env file, and an Outbound server standing in for every upstream API the
// Worker calls (Telegram, Viber, the banks). Tests run only when
// PAYLASTIC_WORKER_TEST=1 (make worker-test sets it) and skip otherwise,
// since they need Node and node_modules (npm ci).
package workertest

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

// Test secrets of the default environment (the same as the harness's).
const (
	AdminToken = "test-admin-token"
	LinkSecret = "test-link-secret"
	DataKey    = "test-data-key"
)

// Cron is the Worker's Cron Trigger (wrangler.toml [triggers]).
const Cron = "*/5 * * * *"

// FaultHeader makes the named KV operations fail for one request
// ("get", "put", "delete", "list", comma-separated, or "kv" for all); see
// worker/testroutes.go.
const FaultHeader = "X-Test-Fault"

// Options of Start and Launch. All are optional.
type Options struct {
	// Env adds to or overrides the Worker's vars (see Launch).
	Env map[string]string
	// Files is the built Worker, file name to contents: worker.mjs,
	// runtime.mjs, wasm_exec.js and app.wasm (built with -tags workertest).
	// Start's default is WorkerFiles.
	Files map[string][]byte
	// Config replaces the test Worker's wrangler.toml (testConfig), for
	// Workers of another shape (worker/storebench); then every file in Files
	// is written next to it, and none is required.
	Config string
	// Startup bounds the wait for wrangler dev to answer (default 2 min).
	Startup time.Duration
	// NoProbe waits for wrangler's "Ready on" instead of a GET /healthz, so
	// that the Worker's first request is the caller's (a cold start).
	NoProbe bool
}

// Enabled reports whether Worker tests should run (PAYLASTIC_WORKER_TEST=1).
func Enabled() bool { return os.Getenv("PAYLASTIC_WORKER_TEST") == "1" }

// Skip skips t unless Worker tests are enabled.
func Skip(t testing.TB) {
	t.Helper()
	if !Enabled() {
		t.Skip("Worker tests need Node and wrangler: run make worker-test (or set PAYLASTIC_WORKER_TEST=1)")
	}
}

// Start launches the Worker for t and stops it when t ends. It skips t unless
// Worker tests are enabled, and fails t if wrangler dev does not start.
func Start(t testing.TB, o Options) *Env {
	t.Helper()
	Skip(t)
	if o.Files == nil {
		o.Files = WorkerFiles(t)
	}
	e, err := Launch(o)
	if err != nil {
		t.Fatalf("start wrangler dev: %v", err)
	}
	t.Cleanup(func() {
		if t.Failed() || os.Getenv("PAYLASTIC_TEST_LOG") == "1" {
			t.Logf("wrangler dev output:\n%s", e.Output())
		}
		if err := e.Close(); err != nil {
			t.Errorf("stop wrangler dev: %v", err)
		}
	})
	return e
}

// defaultVars is the Worker's environment in tests, before Options.Env.
func defaultVars(url, outbound string) map[string]string {
	return map[string]string{
		"PUBLIC_BASE_URL":      url,
		"ADMIN_TOKEN":          AdminToken,
		"LINK_SECRET":          LinkSecret,
		"DATA_KEY":             DataKey,
		"SANDBOX_BANK":         "1",
		"PAYLASTIC_TEST_HOOKS": "1",
		"TELEGRAM_API_URL":     outbound + "/telegram",
		"VIBER_API_URL":        outbound + "/viber",
		"MONOBANK_API_URL":     outbound + "/monobank",
		"LIQPAY_API_URL":       outbound + "/liqpay",
		"OUTBOUND":             outbound, // for plain JavaScript test Workers
	}
}

// envFile renders vars as a dotenv file (--env-file): one KEY="value" per
// line. Values that dotenv would reinterpret (quotes, backslashes,
// newlines, $ expansions)
// are refused rather than escaped.
func envFile(vars map[string]string) (string, error) {
	var b strings.Builder
	for k, v := range vars {
		if k == "" || strings.ContainsAny(k, "= \t\r\n\"'#") || strings.ContainsAny(v, "\"\\\r\n$") {
			return "", fmt.Errorf("env var %q: cannot be written to a dotenv file", k)
		}
		fmt.Fprintf(&b, "%s=\"%s\"\n", k, v)
	}
	return b.String(), nil
}
