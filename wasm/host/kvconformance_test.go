package host_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/paylastic/edge/core/kv"
	"github.com/paylastic/edge/core/kv/kvtest"
	"github.com/paylastic/edge/core/kv/kvtest/kvhttp"
	"github.com/paylastic/edge/internal/testsupport"
	"github.com/paylastic/edge/wasm/host"
	"github.com/paylastic/edge/wasm/host/boltkv"
	"github.com/paylastic/edge/wasm/hosttest"
)

// TestGuestKVConformance runs the kv conformance suite through the guest's
// own KV adapter (wasm/guest/kv.go, over the host ABI), by way of its
// /_test/kv routes, against both stores the harness offers: memory (tests)
// and bbolt (`make run`). Every operation is a fresh guest instance, as
// every request is.
func TestGuestKVConformance(t *testing.T) {
	wasm := testGuestWasm(t)
	tests := []struct {
		name  string
		store func(t *testing.T, now func() time.Time) kv.Store
	}{
		{"memory", func(t *testing.T, now func() time.Time) kv.Store { return kv.NewMem(now) }},
		{"bbolt", func(t *testing.T, now func() time.Time) kv.Store {
			s, err := boltkv.Open(filepath.Join(t.TempDir(), "kv.db"), now)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			return s
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := hosttest.NewClock(time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC))
			url := startGuest(t, wasm, tt.store(t, clock.Now), clock.Now, true)
			// One store for every subtest: kvtest gives each its own prefix.
			s := &kvhttp.Client{URL: url + "/_test/kv", Name: "guest kv"}
			kvtest.Run(t, kvtest.Harness{
				New:     func(*testing.T) kv.Store { return s },
				Advance: clock.Advance,
			})
		})
	}
}

// TestGuestKVRoutesLocked: the KV routes (and the consistent store's,
// casconformance_test.go) answer only in a -tags guesttest build AND with
// PAYLASTIC_TEST_HOOKS=1; either lock alone keeps them out (the product's
// own 404 answers), so `make run` never exposes raw KV or the store.
func TestGuestKVRoutesLocked(t *testing.T) {
	tests := []struct {
		name   string
		wasm   func(t *testing.T) []byte
		hooks  bool
		routes bool
	}{
		{"make guest, hooks on", func(t *testing.T) []byte { return hosttest.GuestWasm(t) }, true, false},
		{"guesttest build, hooks off", testGuestWasm, false, false},
		{"guesttest build, hooks on", testGuestWasm, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url := startGuest(t, tt.wasm(t), kv.NewMem(nil), time.Now, tt.hooks)
			resp, err := http.Get(url + "/_test/kv/list?prefix=probe/")
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if got := resp.StatusCode == http.StatusOK; got != tt.routes {
				t.Fatalf("GET /_test/kv/list = %d %.100q; routes present = %v, want %v", resp.StatusCode, b, got, tt.routes)
			}
			casRoutesPresent(t, url, tt.routes)
		})
	}
}

// startGuest runs wasm on a harness over store and returns its loopback URL;
// options may change the harness's Options further.
func startGuest(t *testing.T, wasm []byte, store kv.Store, now func() time.Time, hooks bool, options ...func(*host.Options)) string {
	t.Helper()
	srv := httptest.NewUnstartedServer(nil)
	url := "http://" + srv.Listener.Addr().String()
	env := map[string]string{
		"PUBLIC_BASE_URL": url,
		"LINK_SECRET":     hosttest.LinkSecret,
		"DATA_KEY":        hosttest.DataKey,
	}
	if hooks {
		env["PAYLASTIC_TEST_HOOKS"] = "1"
	}
	logw := io.Discard
	if os.Getenv("PAYLASTIC_TEST_LOG") == "1" {
		logw = os.Stderr
	}
	o := host.Options{
		Wasm:     wasm,
		CacheDir: hosttest.CacheDir(t),
		Env:      env,
		KV:       store,
		Now:      now,
		Log:      slog.New(slog.NewTextHandler(logw, nil)),
		Timeout:  30 * time.Second,
	}
	for _, f := range options {
		f(&o)
	}
	h, err := host.New(context.Background(), o)
	if err != nil {
		t.Fatalf("start harness: %v", err)
	}
	srv.Config.Handler = h
	srv.Start()
	t.Cleanup(func() {
		srv.Close()
		h.Close(context.Background())
	})
	return url
}

var (
	testGuestOnce sync.Once
	testGuest     []byte
	testGuestErr  error
)

// testGuestWasm is the guest built with -tags guesttest, which `make guest`
// (PAYLASTIC_GUEST_WASM) is not: built once per test binary, with the flags
// hosttest.BuildGuest uses plus the tag, from Go's build cache a few seconds.
func testGuestWasm(t *testing.T) []byte {
	t.Helper()
	testGuestOnce.Do(func() {
		root, err := testsupport.RepoRoot()
		if err != nil {
			testGuestErr = err
			return
		}
		dir, err := os.MkdirTemp("", "paylastic-guesttest-")
		if err != nil {
			testGuestErr = err
			return
		}
		defer os.RemoveAll(dir)
		out := filepath.Join(dir, "guest.wasm")
		cmd := exec.Command("go", "build", "-buildmode=c-shared", "-tags", "stdjson,guesttest", "-trimpath", "-o", out, "./wasm/guest")
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm")
		if b, err := cmd.CombinedOutput(); err != nil {
			testGuestErr = fmt.Errorf("build guest -tags guesttest: %w\n%s", err, b)
			return
		}
		testGuest, testGuestErr = os.ReadFile(out)
	})
	if testGuestErr != nil {
		t.Fatal(testGuestErr)
	}
	return testGuest
}
