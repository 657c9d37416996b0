// Package hosttest starts the compiled guest on the harness for tests: a
// loopback httptest server in front of it, memory KV with operation counts,
// a settable clock, deterministic randomness, and switches for faults (KV
// failures, KV propagation delay, dropped outbound requests).
package hosttest

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/paylastic/edge/core/cas"
	"github.com/paylastic/edge/core/cas/sqlcas"
	"github.com/paylastic/edge/core/kv"
	"github.com/paylastic/edge/internal/testsupport"
	"github.com/paylastic/edge/wasm/devconsole"
	"github.com/paylastic/edge/wasm/host"
)

// Options of Start. All are optional.
type Options struct {
	// Env adds to or overrides the default guest environment (see Start).
	Env map[string]string
	// Lag, if set, simulates Workers KV propagation delay: every request is
	// served by the next of several locations (round robin), and a write
	// reaches the other locations Lag later. A request with the header
	// X-Test-Location is served by that location.
	Lag time.Duration
	// Timeout bounds one guest request (default: the harness's 60 s).
	Timeout time.Duration
	// Log receives guest and harness logs (default: discarded unless
	// PAYLASTIC_TEST_LOG=1).
	Log io.Writer
	// Console puts the dev console (and the fake Telegram and Viber APIs it
	// serves under /_fake/) in front of the product, as `paylastic run`
	// does, and points the product's messenger variables at those fakes.
	Console bool
	// KVFaults and SQLFaults, if set, fail a share of the guest's KV
	// operations and SQL statements (faults.go); off until Faults.Set.
	KVFaults, SQLFaults *Faults
	// Fresh starts a new guest instance for every request instead of
	// leasing pooled ones; PAYLASTIC_HARNESS=fresh sets it for every Start,
	// so `make test` runs the e2e suite in both modes.
	Fresh bool
	// Limits are the pool's (default: the harness's): requests in flight
	// at once in a test are few, and the pool's own tests set their own.
	Limits host.Limits
}

// Fresh reports whether PAYLASTIC_HARNESS=fresh asks every harness of the
// test binary for a new instance per request.
func Fresh() bool { return os.Getenv("PAYLASTIC_HARNESS") == "fresh" }

// Env is a running harness.
type Env struct {
	URL     string // base URL, also the guest's PUBLIC_BASE_URL
	Server  *httptest.Server
	Harness *host.Harness
	KV      *kv.Counting // counts every KV operation of the guest
	// SQL is the harness's SQLite (in memory), and States the consistent
	// store on it as the guest sees it, for tests to read what it holds.
	SQL      *sql.DB
	States   cas.Store
	Faults   *host.Faulty // inject KV failures
	Lagged   *host.Lagged // nil unless Options.Lag
	Clock    *Clock
	Outbound *Outbound // the guest's outbound HTTP
	Env      map[string]string
	Console  *devconsole.Console // set with Options.Console
}

// Test secrets of the default environment.
const (
	AdminToken = "test-admin-token"
	LinkSecret = "test-link-secret"
	DataKey    = "test-data-key"
)

// Start compiles (once per test binary) and starts the guest. The default
// environment sets PUBLIC_BASE_URL to the server, ADMIN_TOKEN, LINK_SECRET,
// DATA_KEY, SANDBOX_BANK=1 and PAYLASTIC_TEST_HOOKS=1.
func Start(t testing.TB, o Options) *Env {
	t.Helper()
	wasm := GuestWasm(t)
	e := &Env{Clock: NewClock(time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)), Outbound: &Outbound{}}
	var base kv.Store = kv.NewMem(e.Clock.Now)
	var locate func(*http.Request) string
	if o.Lag > 0 {
		e.Lagged = host.NewLagged(e.Clock.Now, o.Lag)
		base = e.Lagged.Routed()
		var n atomic.Int64
		locate = func(r *http.Request) string {
			if loc := r.Header.Get("X-Test-Location"); loc != "" {
				return loc
			}
			return fmt.Sprintf("loc%d", n.Add(1)%5)
		}
	}
	e.Faults = host.NewFaulty(kvWith(base, o.KVFaults))
	e.KV = &kv.Counting{Store: e.Faults}
	e.Server = httptest.NewUnstartedServer(nil)
	e.URL = "http://" + e.Server.Listener.Addr().String()
	e.Env = map[string]string{
		"PUBLIC_BASE_URL":      e.URL,
		"ADMIN_TOKEN":          AdminToken,
		"LINK_SECRET":          LinkSecret,
		"DATA_KEY":             DataKey,
		"SANDBOX_BANK":         "1",
		"PAYLASTIC_TEST_HOOKS": "1",
	}
	if o.Console {
		for k, v := range devconsole.FakeEnv(e.URL) {
			e.Env[k] = v
		}
		e.Env["TELEGRAM_WEBHOOK_SECRET"] = "test-webhook-secret"
	}
	for k, v := range o.Env {
		e.Env[k] = v
	}
	logw := o.Log
	if logw == nil {
		logw = io.Discard
		if os.Getenv("PAYLASTIC_TEST_LOG") == "1" {
			logw = os.Stderr
		}
	}
	db, err := openSQL(context.Background(), o.SQLFaults)
	if err != nil {
		t.Fatalf("start harness: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	e.SQL, e.States = db, sqlcas.New(db, e.Clock.Now)
	h, err := host.New(context.Background(), host.Options{
		SQL:      db,
		Wasm:     wasm,
		CacheDir: CacheDir(t),
		Env:      e.Env,
		KV:       e.KV,
		Locate:   locate,
		HTTP:     &http.Client{Transport: e.Outbound, Timeout: 30 * time.Second},
		Now:      e.Clock.Now,
		Rand:     rand.NewChaCha8([32]byte{'p', 'a', 'y'}),
		Log:      slog.New(slog.NewTextHandler(logw, nil)),
		Timeout:  o.Timeout,
		Fresh:    o.Fresh || Fresh(),
		Limits:   o.Limits,
	})
	if err != nil {
		t.Fatalf("start harness: %v", err)
	}
	e.Harness = h
	e.Server.Config.Handler = h
	if o.Console {
		e.Console = devconsole.New(h, e.Env, slog.New(slog.NewTextHandler(logw, nil)))
		e.Server.Config.Handler = e.Console.Handler()
	}
	e.Server.Start()
	t.Cleanup(func() {
		e.Server.Close()
		h.Close(context.Background())
	})
	return e
}

// Scheduled runs the guest's cron entry at the clock's time.
func (e *Env) Scheduled(ctx context.Context) error { return e.Harness.Scheduled(ctx, e.Clock.Now()) }

// Clock is a settable clock shared by the guest and the stores.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a clock at t.
func NewClock(t time.Time) *Clock { return &Clock{now: t} }

func (c *Clock) Now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *Clock) Set(t time.Time)         { c.mu.Lock(); c.now = t; c.mu.Unlock() }
func (c *Clock) Advance(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

// Outbound is the guest's outbound transport, with a switch to drop requests
// (a lost bank callback, an unreachable messenger API).
type Outbound struct {
	mu   sync.Mutex
	drop []func(*http.Request) bool
	base http.RoundTripper // nil: http.DefaultTransport
}

// Use sends the requests that are not dropped through rt instead of
// http.DefaultTransport: for example the client of an httptest TLS server,
// so that the guest trusts a fake bank served over https.
func (o *Outbound) Use(rt http.RoundTripper) {
	o.mu.Lock()
	o.base = rt
	o.mu.Unlock()
}

// Drop makes matching requests fail as if the network lost them, until the
// returned func is called.
func (o *Outbound) Drop(match func(*http.Request) bool) (undo func()) {
	o.mu.Lock()
	o.drop = append(o.drop, match)
	i := len(o.drop) - 1
	o.mu.Unlock()
	return func() { o.mu.Lock(); o.drop[i] = func(*http.Request) bool { return false }; o.mu.Unlock() }
}

// DropPath drops requests whose URL path contains s.
func (o *Outbound) DropPath(s string) (undo func()) {
	return o.Drop(func(r *http.Request) bool { return strings.Contains(r.URL.Path, s) })
}

func (o *Outbound) RoundTrip(r *http.Request) (*http.Response, error) {
	o.mu.Lock()
	drops := append([]func(*http.Request) bool(nil), o.drop...)
	base := o.base
	o.mu.Unlock()
	if base == nil {
		base = http.DefaultTransport
	}
	for _, d := range drops {
		if d(r) {
			return nil, fmt.Errorf("hosttest: dropped %s %s", r.Method, r.URL.Redacted())
		}
	}
	return base.RoundTrip(r)
}

var (
	buildOnce sync.Once
	wasmBytes []byte
	buildErr  error
)

// GuestWasm returns the compiled guest: the file named by PAYLASTIC_GUEST_WASM
// (make test builds it once for all packages), or else a fresh build into
// build/guest.wasm.
func GuestWasm(t testing.TB) []byte {
	t.Helper()
	buildOnce.Do(func() {
		if p := os.Getenv("PAYLASTIC_GUEST_WASM"); p != "" {
			wasmBytes, buildErr = os.ReadFile(p)
			return
		}
		root, err := testsupport.RepoRoot()
		if err != nil {
			buildErr = err
			return
		}
		out := filepath.Join(root, "build", fmt.Sprintf("guest-test-%d.wasm", os.Getpid()))
		if err := BuildGuest(root, out); err != nil {
			buildErr = err
			return
		}
		defer os.Remove(out)
		wasmBytes, buildErr = os.ReadFile(out)
	})
	if buildErr != nil {
		t.Fatalf("guest wasm: %v", buildErr)
	}
	return wasmBytes
}

// BuildGuest compiles the guest the way the Makefile does.
func BuildGuest(root, out string) error {
	cmd := exec.Command("go", "build", "-buildmode=c-shared", "-tags", "stdjson", "-trimpath", "-o", out, "./wasm/guest")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm")
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("build guest: %v\n%s", err, b)
	}
	return nil
}

// CacheDir is the wazero compilation cache the harness uses
// ($PAYLASTIC_WAZERO_CACHE, or build/wazero-cache), so that a rerun compiles
// nothing.
func CacheDir(t testing.TB) string {
	if d := os.Getenv("PAYLASTIC_WAZERO_CACHE"); d != "" {
		return d
	}
	root, err := testsupport.RepoRoot()
	if err != nil {
		t.Fatalf("wazero cache: %v", err)
	}
	return filepath.Join(root, "build", "wazero-cache")
}
