package e2e

// The scenarios of worker_test.go run on two targets: the compiled WASI
// guest on the wazero harness, and the Worker (GOOS=js) in workerd under
// wrangler dev. A target is what a scenario needs from either: a base URL,
// the upstream APIs (fake Telegram) behind one switchable server, a way to
// make KV fail, a raw view of KV for assertions, the clock and the cron pass.
// Both sit behind a front proxy that the product's PUBLIC_BASE_URL names, so
// a test sees (and can drop) the requests the product makes to itself, such
// as the sandbox bank's callbacks.

import (
	"context"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/paylastic/edge/core/cas"
	"github.com/paylastic/edge/core/kv"
	"github.com/paylastic/edge/wasm/hosttest"
	"github.com/paylastic/edge/worker/workertest"
)

// Telegram configuration of both targets (the fake Bot API serves this token).
const (
	wTGToken  = "123456:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	wTGSecret = "worker-e2e-webhook-secret"
)

// target is one place the product runs.
type target struct {
	name     string
	URL      string                // the front proxy: PUBLIC_BASE_URL
	front    *front                // sees and drops requests to the product
	outbound *workertest.Outbound  // the upstream APIs (TELEGRAM_API_URL = outbound/telegram)
	client   *http.Client          // the test's client; adds the KV fault header on the Worker
	store    kv.Store              // raw KV, for assertions (never faulted)
	states   cas.Store             // the consistent store, for assertions
	now      func() time.Time      // the product's clock for requests
	later    func(d time.Duration) // moves the clock of the next scheduled pass (and, on the harness, of everything)
	cron     func(ctx context.Context) error
	kvFail   func(on bool) // make every KV operation fail, or stop
	flaky    func(on bool) // make a share of storage operations fail, or stop (see worker_exactlyonce_test.go)
	faulted  func() int64  // how many faults flaky injected so far
	logs     func() string
}

// runOnTargets runs f on both targets with Telegram configured and the sandbox bank
// on. The Worker target skips unless PAYLASTIC_WORKER_TEST=1.
func runOnTargets(t *testing.T, f func(t *testing.T, tg *target)) {
	t.Run("harness", func(t *testing.T) { f(t, harnessTarget(t)) })
	t.Run("wrangler", func(t *testing.T) { f(t, workerTarget(t)) })
}

// targetEnv is the product's configuration on both targets, besides the
// targets' own defaults (SANDBOX_BANK=1, test hooks on).
func targetEnv(fr *front) map[string]string {
	return map[string]string{
		"PUBLIC_BASE_URL":         fr.URL,
		"ADMIN_TOKEN":             workertest.AdminToken,
		"LINK_SECRET":             workertest.LinkSecret,
		"DATA_KEY":                workertest.DataKey,
		"TELEGRAM_BOT_TOKEN":      wTGToken,
		"TELEGRAM_WEBHOOK_SECRET": wTGSecret,
	}
}

func harnessTarget(t *testing.T) *target {
	fr := newFront(t)
	out := workertest.NewOutbound()
	t.Cleanup(out.Close)
	vars := targetEnv(fr)
	vars["TELEGRAM_API_URL"] = out.URL + "/telegram"
	flaky := hosttest.NewFaults(1)
	var logs syncBuffer
	env := hosttest.Start(t, hosttest.Options{Env: vars, KVFaults: flaky, SQLFaults: flaky, Log: &logs})
	fr.to(env.URL)
	return &target{
		name:     "harness",
		URL:      fr.URL,
		front:    fr,
		outbound: out,
		client:   &http.Client{},
		store:    env.Faults.Store,
		states:   env.States,
		now:      env.Clock.Now,
		later:    env.Clock.Advance,
		cron:     env.Scheduled,
		kvFail:   env.Faults.FailAll,
		flaky: func(on bool) {
			if on {
				flaky.Set(0.1, 2*time.Millisecond)
			} else {
				flaky.Set(0, 0)
			}
		},
		faulted: flaky.Injected,
		logs:    logs.String,
	}
}

func workerTarget(t *testing.T) *target {
	workertest.Skip(t)
	fr := newFront(t)
	env := workertest.Start(t, workertest.Options{Env: targetEnv(fr)})
	fr.to(env.URL)
	var (
		offset atomic.Int64 // how far "later" the next cron pass runs
		fail   atomic.Bool
		flaky  atomic.Bool
		faults atomic.Int64
	)
	tg := &target{
		name:     "wrangler",
		URL:      fr.URL,
		front:    fr,
		outbound: env.Outbound,
		store:    env.KV(),
		states:   env.CAS(nil),
		now:      time.Now, // workerd runs on real time
		later:    func(d time.Duration) { offset.Add(int64(d)) },
		cron: func(ctx context.Context) error {
			return env.Scheduled(ctx, time.Now().Add(time.Duration(offset.Load())))
		},
		kvFail:  fail.Store,
		flaky:   flaky.Store,
		faulted: faults.Load,
		logs:    env.Output,
	}
	tg.client = &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		flaked := !fail.Load() && flaky.Load() && rand.Float64() < 0.3
		if flaked {
			faults.Add(1)
		}
		if fail.Load() || flaked {
			r = r.Clone(r.Context())
			r.Header.Set(workertest.FaultHeader, "kv")
		}
		return http.DefaultTransport.RoundTrip(r)
	})}
	return tg
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// front is a reverse proxy in front of a target. It can drop requests whose
// path ends with a suffix (a lost bank callback) and records them.
type front struct {
	URL string
	srv *httptest.Server

	mu     sync.Mutex
	target *url.URL
	drop   []string
	seen   []frontRequest
}

// frontRequest is a request that passed the front, with its body.
type frontRequest struct {
	Method, Path string
	Header       http.Header
	Body         []byte
	Dropped      bool
}

func newFront(t *testing.T) *front {
	f := &front{}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	f.URL = f.srv.URL
	t.Cleanup(f.srv.Close)
	return f
}

func (f *front) to(base string) {
	u, _ := url.Parse(base)
	f.mu.Lock()
	f.target = u
	f.mu.Unlock()
}

// dropPath drops requests whose path ends with suffix until undo.
func (f *front) dropPath(suffix string) (undo func()) {
	f.mu.Lock()
	f.drop = append(f.drop, suffix)
	f.mu.Unlock()
	return func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		for i, s := range f.drop {
			if s == suffix {
				f.drop = append(f.drop[:i], f.drop[i+1:]...)
				return
			}
		}
	}
}

// requests returns the requests to paths ending with suffix, in order.
func (f *front) requests(suffix string) []frontRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []frontRequest
	for _, r := range f.seen {
		if strings.HasSuffix(r.Path, suffix) {
			out = append(out, r)
		}
	}
	return out
}

func (f *front) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(strings.NewReader(string(body)))
	f.mu.Lock()
	target, dropped := f.target, false
	for _, s := range f.drop {
		dropped = dropped || strings.HasSuffix(r.URL.Path, s)
	}
	f.seen = append(f.seen, frontRequest{Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone(), Body: body, Dropped: dropped})
	f.mu.Unlock()
	if dropped {
		http.Error(w, "dropped by the test", http.StatusBadGateway)
		return
	}
	(&httputil.ReverseProxy{Rewrite: func(pr *httputil.ProxyRequest) {
		pr.SetURL(target)
		pr.Out.Header["X-Forwarded-For"] = nil
	}}).ServeHTTP(w, r)
}

// syncBuffer is a log writer safe for the guest's concurrent requests.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
