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

	"github.com/paylastic/edge/worker/jshost"
)

// The bridge between the pool and Go: two functions on the instance's
// binding, made once per instance, so that no request leaves a callback
// behind.
//
//	binding.serve(id, method, url, headers, body)
//	    headers: one string "name\nvalue\nname\nvalue…" (one value to
//	    copy, where an array would be two per header, each with its
//	    finalizer on the Go side); body: a Uint8Array or null. The answer
//	    comes back as binding.done(id, status, headers, body), with the
//	    same shapes.
//	binding.scheduled(id, scheduledTimeMs)
//	    answered binding.done(id, 0, null, null) when the pass is over.
//
// Events run one after another on one goroutine that lives as long as the
// instance (the pool leases an instance to one event at a time): its stack
// has grown to what the product needs once, instead of growing again in a
// fresh goroutine for every request. A panic in an event is recovered,
// logged and answered 500 (an unrecovered one kills only this instance:
// the pool answers 500 and starts another).
var events = make(chan func(), 16)

func register() {
	binding := js.Global().Get("context").Get("binding")
	jshost.Register(binding)
	binding.Set("serve", js.FuncOf(func(_ js.Value, args []js.Value) any {
		id := args[0].Int()
		r, err := request(args[1].String(), args[2].String(), args[3], args[4])
		if err != nil {
			go done(binding, id, http.StatusBadRequest, nil, []byte("bad request: "+err.Error()))
			return nil
		}
		events <- func() { serveOne(binding, id, r) }
		return nil
	}))
	binding.Set("scheduled", js.FuncOf(func(_ js.Value, args []js.Value) any {
		id, at := args[0].Int(), time.UnixMilli(int64(args[1].Float())).UTC()
		events <- func() {
			scheduled(context.Background(), at)
			binding.Call("done", id, 0, js.Null(), js.Null())
		}
		return nil
	}))
	go func() {
		for ev := range events {
			ev()
		}
	}()
	if testHooks {
		binding.Set("testHooks", true)
	}
}

// request copies a request out of JavaScript.
func request(method, url string, headers, body js.Value) (*http.Request, error) {
	var b []byte
	if !body.IsNull() && !body.IsUndefined() {
		b = make([]byte, body.Get("byteLength").Int())
		js.CopyBytesToGo(b, body)
	}
	r, err := http.NewRequestWithContext(context.Background(), method, url, bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	h := headers.String()
	for h != "" {
		name, rest, _ := strings.Cut(h, "\n")
		value, rest, _ := strings.Cut(rest, "\n")
		r.Header.Add(name, value)
		h = rest
	}
	r.RequestURI = r.URL.RequestURI()
	r.Host = r.URL.Host
	r.ContentLength = int64(len(b))
	return r, nil
}

// serveOne answers r into memory and hands the whole answer to the pool.
func serveOne(binding js.Value, id int, r *http.Request) {
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
	done(binding, id, rec.Code, rec.Header(), rec.Body.Bytes())
}

// done answers event id: status, headers and body (none for 1xx, 204, 205
// and 304, which a Response may not have).
func done(binding js.Value, id, status int, header http.Header, body []byte) {
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
	jsBody := js.Null()
	switch {
	case status < 200, status == http.StatusNoContent, status == http.StatusResetContent, status == http.StatusNotModified:
	default:
		jsBody = jshost.Bytes(body)
	}
	binding.Call("done", id, status, hs.String(), jsBody)
}
