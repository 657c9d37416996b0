//go:build js && wasm && workertest

package main

// This file exists only in a -tags workertest build (make worker-test),
// never in the deployed Worker, and its routes answer only when the var
// PAYLASTIC_TEST_HOOKS is "1". They let a native test drive the Worker's KV
// adapter inside workerd (worker/workertest runs the kv conformance suite
// through them) and inject KV failures into one request.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/paylastic/edge/core/kv"
	"github.com/paylastic/edge/core/kv/kvtest/kvhttp"
	"github.com/paylastic/edge/worker/cfkv"
	"github.com/syumai/workers/cloudflare"
	cfkvns "github.com/syumai/workers/cloudflare/kv"
)

// FaultHeader names the KV operations ("get", "put", "delete", "list", or
// "kv" for all) that fail for the request carrying it, e.g. "put".
const FaultHeader = "X-Test-Fault"

// errInjected is the failure a faulted operation returns.
var errInjected = errors.New("injected kv failure")

func hooksOn() bool { return cloudflare.Getenv("PAYLASTIC_TEST_HOOKS") == "1" }

// bindKV returns the KV binding, wrapped to fail the operations the request's
// X-Test-Fault header names.
func bindKV(r *http.Request) (kv.Store, error) {
	s, err := cfkv.New(kvBinding)
	if err != nil || !hooksOn() || r.Header.Get(FaultHeader) == "" {
		return s, err
	}
	f := faulty{Store: s, fail: map[string]bool{}}
	for _, op := range strings.Split(r.Header.Get(FaultHeader), ",") {
		f.fail[strings.TrimSpace(op)] = true
	}
	return f, nil
}

// withTestRoutes adds /_test/kv/{get,put,delete,list,getstring} in front of
// the product.
func withTestRoutes(h http.Handler, store kv.Store) http.Handler {
	if !hooksOn() {
		return h
	}
	mux := http.NewServeMux()
	mux.Handle("/", h)
	// empty answers 200 with an empty body, written as an empty slice.
	mux.HandleFunc("GET /_test/empty", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(nil)
	})
	mux.Handle("/_test/kv/", http.StripPrefix("/_test/kv", kvhttp.Handler(store)))
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
	return mux
}

// faulty fails the operations in fail, before they reach Workers KV.
type faulty struct {
	kv.Store
	fail map[string]bool
}

func (f faulty) fault(op string) error {
	if f.fail[op] || f.fail["kv"] {
		return fmt.Errorf("kv %s: %w", op, errInjected)
	}
	return nil
}

func (f faulty) Get(ctx context.Context, key string) ([]byte, error) {
	if err := f.fault("get"); err != nil {
		return nil, err
	}
	return f.Store.Get(ctx, key)
}

func (f faulty) Put(ctx context.Context, key string, v []byte, ttl time.Duration) error {
	if err := f.fault("put"); err != nil {
		return err
	}
	return f.Store.Put(ctx, key, v, ttl)
}

func (f faulty) Delete(ctx context.Context, key string) error {
	if err := f.fault("delete"); err != nil {
		return err
	}
	return f.Store.Delete(ctx, key)
}

func (f faulty) List(ctx context.Context, prefix, cursor string, limit int) (kv.Page, error) {
	if err := f.fault("list"); err != nil {
		return kv.Page{}, err
	}
	return f.Store.List(ctx, prefix, cursor, limit)
}
