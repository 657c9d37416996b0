package main

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/paylastic/edge/core/app"
	"github.com/paylastic/edge/internal/testsupport"
	"github.com/paylastic/edge/wasm/hosttest"
)

// TestRun runs `paylastic run` in process on 127.0.0.1 with a bbolt data
// directory: the welcome lists what a newcomer needs, a merchant created
// through the admin API is still there after a restart on the same data
// directory (with the same generated admin token), and the cron loop runs
// the guest's scheduled pass.
func TestRun(t *testing.T) {
	for _, k := range app.Vars { // the developer's shell must not leak in
		t.Setenv(k, "")
	}
	data := t.TempDir()
	wasmPath := filepath.Join(t.TempDir(), "guest.wasm")
	if err := os.WriteFile(wasmPath, hosttest.GuestWasm(t), 0o600); err != nil {
		t.Fatal(err)
	}

	first := startRun(t, data, wasmPath)
	token := localSecret(t, data, "ADMIN_TOKEN")
	code, body := call(t, "POST", first.url+"/admin/merchants", token, `{"name":"Кавʼярня Ранок"}`)
	if code != http.StatusCreated {
		t.Fatalf("POST /admin/merchants = %d %s", code, body)
	}
	var m struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal([]byte(body), &m); err != nil || m.ID == "" {
		t.Fatalf("created merchant %s: %v", body, err)
	}
	first.waitLog(t, "the scheduled pass", func(line string) bool {
		return strings.Contains(line, "src=guest") && strings.Contains(line, "scheduled pass") && strings.Contains(line, "seen=")
	})
	base := "http://localhost:" + first.port // PUBLIC_BASE_URL: the real port, not :0
	for _, want := range []string{
		base + "/dev",
		base + "/healthz",
		`-H "Authorization: Bearer ` + token + `"`,
		base + "/admin/merchants",
		filepath.Join(data, "local-secrets.json"),
	} {
		if !strings.Contains(first.logs.String(), want) {
			t.Errorf("the welcome does not show %q:\n%s", want, first.logs.String())
		}
	}
	first.stop(t)

	second := startRun(t, data, wasmPath)
	defer second.stop(t)
	if got := localSecret(t, data, "ADMIN_TOKEN"); got != token {
		t.Fatalf("admin token changed across a restart: %q, then %q", token, got)
	}
	if code, body := call(t, "GET", second.url+"/admin/merchants/"+m.ID, token, ""); code != http.StatusOK || !strings.Contains(body, "Кавʼярня Ранок") {
		t.Fatalf("GET the merchant after a restart = %d %s", code, body)
	}
	if code, body := call(t, "GET", second.url+"/healthz", "", ""); code != http.StatusOK || body != "ok" {
		t.Fatalf("healthz = %d %q", code, body)
	}
}

// running is one in-process `paylastic run`.
type running struct {
	url, port string // url dials 127.0.0.1
	logs      *testsupport.LogBuf
	cancel    context.CancelFunc
	done      chan error
	stopped   bool
}

func startRun(t *testing.T, data, wasmPath string, extra ...string) *running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{logs: &testsupport.LogBuf{}, cancel: cancel, done: make(chan error, 1)}
	addrs := make(chan net.Addr, 1)
	args := []string{"-addr", "127.0.0.1:0", "-data", data, "-wasm", wasmPath, "-cache", wazeroCache(t), "-cron", "100ms"}
	args = append(args, extra...)
	go func() { r.done <- run(ctx, args, runIO{stderr: r.logs, listening: func(a net.Addr) { addrs <- a }}) }()
	select {
	case a := <-addrs:
		r.url = "http://" + a.String()
		_, r.port, _ = net.SplitHostPort(a.String())
	case err := <-r.done:
		cancel()
		t.Fatalf("run returned before listening: %v\n%s", err, r.logs.String())
	case <-time.After(2 * time.Minute): // a cold guest compile on a busy machine
		cancel()
		t.Fatalf("run did not listen within 2m:\n%s", r.logs.String())
	}
	t.Cleanup(func() { r.stop(t) })
	return r
}

// stop cancels run's context and waits for it to return, which it does only
// after closing the KV file.
func (r *running) stop(t *testing.T) {
	t.Helper()
	if r.stopped {
		return
	}
	r.stopped = true
	r.cancel()
	select {
	case err := <-r.done:
		if err != nil {
			t.Errorf("run: %v\n%s", err, r.logs.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatalf("run did not stop within 15s:\n%s", r.logs.String())
	}
}

// waitLog waits up to 30 s for a log line that match accepts.
func (r *running) waitLog(t *testing.T, what string, match func(line string) bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		for _, line := range strings.Split(r.logs.String(), "\n") {
			if match(line) {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("no log of %s within 30s:\n%s", what, r.logs.String())
}

func localSecret(t *testing.T, data, key string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(data, "local-secrets.json"))
	if err != nil {
		t.Fatal(err)
	}
	var s map[string]string
	if err := json.Unmarshal(b, &s); err != nil || s[key] == "" {
		t.Fatalf("local-secrets.json has no %s (%v): %s", key, err, b)
	}
	return s[key]
}

func call(t *testing.T, method, url, token, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	c := &http.Client{Timeout: 30 * time.Second}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// wazeroCache is the compilation cache the harness tests share (hosttest),
// so the guest compiles once per machine, not once per run.
func wazeroCache(t *testing.T) string {
	if d := os.Getenv("PAYLASTIC_WAZERO_CACHE"); d != "" {
		return d
	}
	root, err := testsupport.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(root, "build", "wazero-cache")
}
