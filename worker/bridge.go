//go:build js && wasm

package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime/debug"
	"strings"
	"syscall/js"
	"time"
	"unsafe"

	"github.com/paylastic/edge/worker/jshost"
)

// The bridge between the pool and Go: the instance's events come in as
// exports and their answers go out as an import, in package jshost's
// bytes (wire.go), so that no event makes or leaves a JavaScript reference.
//
//	paylastic_serve(id, len)       export: a request; its bytes, taken
//	                               with jshost.Take: method, url, headers
//	                               "name\nvalue\n…" (text), has a body
//	                               (flag), body (bytes)
//	paylastic_scheduled(id, at)    export: a Cron Trigger's pass, at its
//	                               scheduled time (ms since the epoch)
//	paylastic.done(id, ptr, len)   import: the answer: status (num),
//	                               headers (text), has a body (flag),
//	                               body (bytes); nothing for a pass
//
// Events run one after another on one goroutine that lives as long as the
// instance (the pool leases an instance to one event at a time): its stack
// has grown to what the product needs once, instead of growing again in a
// fresh goroutine for every request. A panic in an event is recovered,
// logged and answered 500 (an unrecovered one kills only this instance:
// the pool answers 500 and starts another).
var events = make(chan func(), 16)

//go:wasmimport paylastic done
func hostDone(id uint32, answer unsafe.Pointer, n uint32)

//go:wasmexport paylastic_serve
func serveEvent(id, n uint32) {
	events <- func() {
		r, err := request(jshost.Take(id, n))
		if err != nil {
			done(id, http.StatusBadRequest, nil, []byte("bad request: "+err.Error()))
			return
		}
		serveOne(id, r)
	}
}

//go:wasmexport paylastic_scheduled
func scheduledEvent(id uint32, at float64) {
	events <- func() {
		scheduled(context.Background(), time.UnixMilli(int64(at)).UTC())
		hostDone(id, nil, 0)
	}
}

// binding is the instance's binding object in its runtime context, where
// the pool says whether an event's env is new (serve.go, envChanged).
var binding js.Value

func register() {
	binding = js.Global().Get("context").Get("binding")
	go func() {
		for ev := range events {
			ev()
		}
	}()
	if testHooks {
		binding.Set("testHooks", true)
	}
}

// request reads a request as the pool writes it.
func request(b []byte) (*http.Request, error) {
	in := jshost.NewReader(b)
	method, url, h, _, body := in.Text(), in.Text(), in.Text(), in.Flag(), in.Bytes()
	if err := in.Err(); err != nil {
		return nil, err
	}
	r, err := http.NewRequestWithContext(context.Background(), method, url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	for h != "" {
		name, rest, _ := strings.Cut(h, "\n")
		value, rest, _ := strings.Cut(rest, "\n")
		r.Header.Add(name, value)
		h = rest
	}
	r.RequestURI = r.URL.RequestURI()
	r.Host = r.URL.Host
	r.ContentLength = int64(len(body))
	return r, nil
}

// serveOne answers r into memory and hands the whole answer to the pool.
func serveOne(id uint32, r *http.Request) {
	rec := httptest.NewRecorder()
	func() {
		defer func() {
			if v := recover(); v != nil {
				logger().Error("panic", "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				rec = httptest.NewRecorder()
				http.Error(rec, "internal error", http.StatusInternalServerError)
			}
		}()
		serve(rec, r)
	}()
	done(id, rec.Code, rec.Header(), rec.Body.Bytes())
}

// done answers event id: status, headers and body (none for 1xx, 204, 205
// and 304, which a Response may not have).
func done(id uint32, status int, header http.Header, body []byte) {
	var hs strings.Builder
	for k, vs := range header {
		for _, v := range vs {
			if strings.ContainsAny(v, "\r\n") {
				continue // not a valid header value: never sent
			}
			hs.WriteString(k)
			hs.WriteByte('\n')
			hs.WriteString(v)
			hs.WriteByte('\n')
		}
	}
	hasBody := true
	switch {
	case status < 200, status == http.StatusNoContent, status == http.StatusResetContent, status == http.StatusNotModified:
		hasBody, body = false, nil
	}
	w := jshost.Writer{B: make([]byte, 0, 32+hs.Len()+len(body))}
	w.Num(float64(status)).Text(hs.String()).Flag(hasBody).Bytes(body)
	hostDone(id, unsafe.Pointer(unsafe.SliceData(w.B)), uint32(len(w.B)))
}
