//go:build wasip1

// Command guest is the product compiled as a WASI reactor for the wazero
// harness: GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -tags stdjson.
// It adapts the host ABI (package abi documents it) to core's ports and
// exports the HTTP handler and the scheduled entry.
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
	resp := serve(in)
	out, err := json.Marshal(resp)
	if err != nil {
		out, _ = json.Marshal(abi.Response{Status: 500, Body: []byte("internal error")})
	}
	return give(out)
}

//go:wasmexport scheduled
func scheduled(nowMS int64) uint64 {
	res := abi.Result{OK: true}
	func() {
		defer func() {
			if v := recover(); v != nil {
				res = abi.Result{Error: fmt.Sprintf("panic: %v", v)}
				logger().Error("panic in scheduled", "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			}
		}()
		a, err := build()
		if err != nil {
			res = abi.Result{Error: err.Error()}
			return
		}
		if err := a.Scheduled(context.Background(), time.UnixMilli(nowMS).UTC()); err != nil {
			res = abi.Result{Error: err.Error()}
		}
	}()
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
	a, err := build()
	if err != nil {
		logger().Error("configuration", "err", err)
		return abi.Response{Status: http.StatusInternalServerError, Body: []byte("server misconfigured: " + err.Error())}
	}
	rec := httptest.NewRecorder()
	testHooks(a.Handler()).ServeHTTP(rec, r)
	return abi.Response{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
}

// build makes the product for this call from the environment the host gave.
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

func logger() *slog.Logger { return slog.New(slog.NewTextHandler(os.Stderr, nil)) }
