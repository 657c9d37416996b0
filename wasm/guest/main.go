//go:build wasip1

// Command guest is the product compiled as a WASI reactor for the wazero
// harness: GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -tags stdjson.
// It adapts the host ABI (package abi documents it) to core's ports and
// exports the HTTP handler and the scheduled entry. One instance serves
// many requests, one at a time: the product is built once per instance
// (theApp), and everything that belongs to one request lives in that call
// (the host's state for the lease, this call's buffers).
package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"runtime/debug"
	"time"
	"unsafe"

	"github.com/paylastic/edge/core/app"
	"github.com/paylastic/edge/wasm/abi"
)

func main() {} // a reactor: the host calls the exports below

// pinned keeps buffers handed to the host alive (Go's GC does not move heap
// objects, so a live buffer's address stays valid) until the next call.
var pinned [][]byte

//go:wasmexport alloc
func alloc(n uint32) unsafe.Pointer {
	b := make([]byte, n)
	pinned = append(pinned, b)
	if n == 0 {
		return nil
	}
	return unsafe.Pointer(&b[0])
}

// unpin drops every pinned buffer, so no request's bytes stay reachable
// from package state into the next call.
func unpin() {
	clear(pinned)
	pinned = pinned[:0]
}

// served counts this instance's handle calls (the test route /_test/instance).
var served int

// give pins b for the host and returns its packed pointer and length.
func give(b []byte) uint64 {
	pinned = append(pinned[:0], b)
	if len(b) == 0 {
		return 0
	}
	return abi.Pack(uint32(uintptr(unsafe.Pointer(&b[0]))), uint32(len(b)))
}

//go:wasmexport handle
func handle(ptr unsafe.Pointer, n uint32) uint64 {
	in := bytes.Clone(unsafe.Slice((*byte)(ptr), n))
	unpin() // the request is copied; the last answer was taken by the host
	served++
	base := runtime.NumGoroutine()
	resp := serve(in)
	resp.Retire = leftRunning(base)
	out, err := json.Marshal(resp)
	if err != nil {
		out, _ = json.Marshal(abi.Response{Status: 500, Body: []byte("internal error")})
	}
	return give(out)
}

//go:wasmexport scheduled
func scheduled(nowMS int64) uint64 {
	unpin()
	base := runtime.NumGoroutine()
	res := abi.Result{OK: true}
	func() {
		defer func() {
			if v := recover(); v != nil {
				res = abi.Result{Error: fmt.Sprintf("panic: %v", v)}
				logger().Error("panic in scheduled", "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			}
		}()
		a, _, err := theApp()
		if err != nil {
			res = abi.Result{Error: err.Error()}
			return
		}
		if err := a.Scheduled(context.Background(), time.UnixMilli(nowMS).UTC()); err != nil {
			res = abi.Result{Error: err.Error()}
		}
	}()
	res.Retire = leftRunning(base)
	out, _ := json.Marshal(res)
	return give(out)
}

// serve runs one request through the product; a panic becomes a 500.
func serve(in []byte) (resp abi.Response) {
	defer func() {
		if v := recover(); v != nil {
			logger().Error("panic in handle", "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			resp = abi.Response{Status: http.StatusInternalServerError, Header: http.Header{"Content-Type": {"text/plain; charset=utf-8"}}, Body: []byte("internal error")}
		}
	}()
	var req abi.Request
	if err := json.Unmarshal(in, &req); err != nil {
		return abi.Response{Status: http.StatusBadRequest, Body: []byte("bad request from host")}
	}
	r, err := http.NewRequest(req.Method, req.URL, bytes.NewReader(req.Body))
	if err != nil {
		return abi.Response{Status: http.StatusBadRequest, Body: []byte("bad request from host")}
	}
	r.Header = req.Header
	if r.Header == nil {
		r.Header = http.Header{}
	}
	r.RemoteAddr = req.RemoteAddr
	r.RequestURI = r.URL.RequestURI()
	r.Host = r.URL.Host
	_, h, err := theApp()
	if err != nil {
		logger().Error("configuration", "err", err)
		return abi.Response{Status: http.StatusInternalServerError, Body: []byte("server misconfigured: " + err.Error())}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return abi.Response{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
}

// leftRunning reports whether the call left more goroutines than it found
// (base), or than the product's own (the database handle's opener, started
// when the product is built, lives with the instance). Such a goroutine would run on during the next request, with that
// request's host state, so the instance asks to be retired instead. A few
// yields first let goroutines that are only finishing (telego's upload
// pipe) end.
func leftRunning(base int) bool {
	base = max(base, builtGoroutines)
	for i := 0; i < 3 && runtime.NumGoroutine() > base; i++ {
		runtime.Gosched()
	}
	return runtime.NumGoroutine() > base
}

// The product of this instance, built on its first call: its configuration
// comes from the instance's environment, which never changes, and its
// ports reach the host through the ABI, where the state of the request
// being served lives. Nothing in it belongs to one request.
var (
	product         *app.App
	productHandler  http.Handler
	builtGoroutines int // running once the product was built
)

func theApp() (*app.App, http.Handler, error) {
	if product == nil {
		a, err := build()
		if err != nil {
			return nil, nil, err // not kept: the next call tries again
		}
		product, productHandler = a, testHooks(a.Handler())
		builtGoroutines = runtime.NumGoroutine()
	}
	return product, productHandler, nil
}

// build makes the product from the environment the host gave.
func build() (*app.App, error) {
	cfg, err := app.LoadConfig(os.Getenv)
	if err != nil {
		return nil, err
	}
	return app.New(cfg, app.Deps{
		KV:    hostKV{},
		Store: hostCAS(time.Now), // the host's SQLite, the Worker's D1
		HTTP:  &http.Client{Transport: hostTransport{}, Timeout: 30 * time.Second},
		Now:   time.Now, // WASI clock_time_get: the host's clock
		Rand:  rand.Reader,
		Log:   logger(),
	}), nil
}

// logger hands the product's log records to the host (log.go).
func logger() *slog.Logger { return slog.New(hostLog{}) }
