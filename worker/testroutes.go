//go:build js && wasm && workertest

package main

// This file exists only in a -tags workertest build (make worker-test),
// never in the deployed Worker, and its routes answer only when the var
// PAYLASTIC_TEST_HOOKS is "1". They let a native test drive the Worker's KV
// adapter inside workerd (worker/workertest runs the kv conformance suite
// through them), inject KV failures into one request, and exercise the
// instance pool: a crash, a goroutine left sleeping, work done after the
// answer (waitUntil), and which instance served a request.

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/paylastic/edge/core/kv"
	"github.com/paylastic/edge/core/kv/kvtest/kvhttp"
	"github.com/paylastic/edge/internal/kvfault"
	"github.com/paylastic/edge/worker/cfkv"
	"github.com/paylastic/edge/worker/jshost"
	"github.com/syumai/workers/cloudflare"
	cfkvns "github.com/syumai/workers/cloudflare/kv"
)

// testHooks tells the JavaScript pool (binding.testHooks) that this build
// may serve its statistics at /_test/pool, when the var allows it too.
const testHooks = true

// FaultHeader names the KV operations ("get", "put", "delete", "list", or
// "kv" for all) that fail for the request carrying it, e.g. "put".
const FaultHeader = "X-Test-Fault"

// errInjected is the failure a faulted operation returns.
var errInjected = errors.New("injected kv failure")

func hooksOn() bool { return cloudflare.Getenv("PAYLASTIC_TEST_HOOKS") == "1" }

// instanceID names this Go instance, and served counts its requests: a
// test sees from them which instance answered and that it was reused.
var (
	instanceID = func() string { b := make([]byte, 6); rand.Read(b); return hex.EncodeToString(b) }()
	served     atomic.Int64
)

type faultsKey struct{}

// withTestRoutes adds the /_test/ routes in front of the product, and puts
// the X-Test-Fault header's operations into the request's context, where
// testKV finds them.
func withTestRoutes(h http.Handler) http.Handler {
	if !hooksOn() {
		return h
	}
	served.Add(1)
	store, _ := cfkv.New(kvBinding)
	mux := http.NewServeMux()
	mux.Handle("/", h)
	// empty answers 200 with an empty body, written as an empty slice.
	mux.HandleFunc("GET /_test/empty", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(nil)
	})
	mux.Handle("/_test/kv/", http.StripPrefix("/_test/kv", kvhttp.Handler(testKV(store))))
	casRoutes(mux)
	// getstring answers what syumai's own GetString returns, so a test pins
	// the "<null>" behaviour that package cfkv works around.
	mux.HandleFunc("GET /_test/kv/getstring", func(w http.ResponseWriter, r *http.Request) {
		ns, err := cfkvns.NewNamespace(kvBinding)
		if err != nil {
			kvhttp.WriteError(w, err)
			return
		}
		s, err := ns.GetString(r.URL.Query().Get("key"), nil)
		if err != nil {
			kvhttp.WriteError(w, err)
			return
		}
		kvhttp.WriteValue(w, []byte(s))
	})
	// kvgets reads n missing keys: one after another, or (par=1) from n
	// goroutines at once, for measuring what one host call costs.
	mux.HandleFunc("GET /_test/kvgets", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.URL.Query().Get("n"))
		get := func(i int) { _, _ = store.Get(r.Context(), "missing:"+strconv.Itoa(i)) }
		if r.URL.Query().Get("par") == "1" {
			var wg sync.WaitGroup
			for i := range n {
				wg.Add(1)
				go func() { defer wg.Done(); get(i) }()
			}
			wg.Wait()
		} else {
			for i := range n {
				get(i)
			}
		}
		fmt.Fprint(w, n)
	})
	// nops makes n host calls that do no I/O, one after another.
	mux.HandleFunc("GET /_test/nops", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.URL.Query().Get("n"))
		for range n {
			if _, err := jshost.Call(jshost.OpNop, nil); err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
		}
		fmt.Fprint(w, n)
	})
	mux.HandleFunc("GET /_test/instance", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "%s %d", instanceID, served.Load())
	})
	// panic panics in a goroutine of its own, where nothing recovers it:
	// the Go instance dies mid-request.
	mux.HandleFunc("GET /_test/panic", func(w http.ResponseWriter, r *http.Request) {
		done := make(chan struct{})
		go func() { defer close(done); panic("test panic") }()
		<-done
	})
	mux.HandleFunc("GET /_test/exit", func(w http.ResponseWriter, r *http.Request) { os.Exit(3) })
	// sleep sleeps ms in the request; sleepy leaves a goroutine asleep for
	// ms after the answer, across the next requests.
	mux.HandleFunc("GET /_test/sleep", func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(msParam(r))
		fmt.Fprint(w, "slept")
	})
	mux.HandleFunc("GET /_test/sleepy", func(w http.ResponseWriter, r *http.Request) {
		d := msParam(r)
		go func() { time.Sleep(d) }()
		fmt.Fprint(w, "left asleep")
	})
	// waituntil answers at once and writes key=value after ms, in a
	// waitUntil task: the pool must keep the instance until it settles.
	mux.HandleFunc("GET /_test/waituntil", func(w http.ResponseWriter, r *http.Request) {
		key, d := r.URL.Query().Get("key"), msParam(r)
		cloudflare.WaitUntil(func() {
			time.Sleep(d)
			_ = store.Put(context.Background(), key, []byte("done"), 0)
		})
		fmt.Fprint(w, "answered")
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if f := r.Header.Get(FaultHeader); f != "" {
			ops := map[string]bool{}
			for _, op := range strings.Split(f, ",") {
				ops[strings.TrimSpace(op)] = true
			}
			r = r.WithContext(context.WithValue(r.Context(), faultsKey{}, ops))
		}
		mux.ServeHTTP(w, r)
	})
}

func msParam(r *http.Request) time.Duration {
	n, _ := strconv.Atoi(r.URL.Query().Get("ms"))
	return time.Duration(n) * time.Millisecond
}

// testKV wraps s to fail the operations the request's context names, before
// they reach Workers KV.
func testKV(s kv.Store) kv.Store { return kvfault.Store{Store: s, Fail: fault} }

func fault(ctx context.Context, op, _ string) error {
	ops, _ := ctx.Value(faultsKey{}).(map[string]bool)
	if ops[op] || ops["kv"] {
		return fmt.Errorf("kv %s: %w", op, errInjected)
	}
	return nil
}
