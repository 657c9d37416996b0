//go:build js && wasm

// Package jsfetch is the Worker's outbound HTTP: an http.RoundTripper over
// the Workers runtime's own fetch
// (https://developers.cloudflare.com/workers/runtime-apis/fetch/).
//
// Go's own js/wasm transport cannot be used: it sets a credentials field
// that Workers reject. syumai's fetch client works, but every call leaves
// JavaScript callbacks behind (its promise helper releases only the half of
// each then/catch pair that ran, and its body reader makes a pair per
// chunk), and a Worker instance now serves many requests. This transport
// awaits each promise with one pair of callbacks it releases, and reads the
// answer's body whole: the product's answers from Telegram, Viber and the
// banks are a few KiB.
package jsfetch

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"syscall/js"
)

// MaxBody bounds the answer body read from an upstream.
const MaxBody = 4 << 20

var (
	global     = js.Global()
	uint8Array = global.Get("Uint8Array")
	object     = global.Get("Object")
)

// Transport is an http.RoundTripper over the runtime's fetch. Redirects are
// followed by the runtime.
type Transport struct{}

var _ http.RoundTripper = Transport{}

// RoundTrip sends r through fetch and waits for the whole answer.
func (Transport) RoundTrip(r *http.Request) (*http.Response, error) {
	init := object.New()
	init.Set("method", r.Method)
	init.Set("redirect", "follow")
	headers := object.New()
	for k, vs := range r.Header {
		for _, v := range vs {
			if prev := headers.Get(k); !prev.IsUndefined() {
				v = prev.String() + ", " + v
			}
			headers.Set(k, v)
		}
	}
	init.Set("headers", headers)
	if r.Body != nil && r.Body != http.NoBody {
		b, err := io.ReadAll(r.Body)
		r.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("fetch %s: read request body: %w", r.URL.Redacted(), err)
		}
		if len(b) > 0 || r.Method == http.MethodPost || r.Method == http.MethodPut {
			init.Set("body", Bytes(b))
		}
	}
	resp, err := Await(global.Call("fetch", r.URL.String(), init))
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", r.URL.Redacted(), err)
	}
	buf, err := Await(resp.Call("arrayBuffer"))
	if err != nil {
		return nil, fmt.Errorf("fetch %s: read answer: %w", r.URL.Redacted(), err)
	}
	body := uint8Array.New(buf)
	n := body.Get("byteLength").Int()
	if n > MaxBody {
		return nil, fmt.Errorf("fetch %s: answer of %d bytes, over %d", r.URL.Redacted(), n, MaxBody)
	}
	data := make([]byte, n)
	js.CopyBytesToGo(data, body)
	status := resp.Get("status").Int()
	out := &http.Response{
		Status:        strconv.Itoa(status) + " " + http.StatusText(status),
		StatusCode:    status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        http.Header{},
		Body:          io.NopCloser(bytes.NewReader(data)),
		ContentLength: int64(n),
		Request:       r,
	}
	// Only Content-Type of the answer's headers is read: nothing the
	// product calls looks at others, and each header copied out of
	// JavaScript costs a few references with finalizers.
	if ct := resp.Get("headers").Call("get", "content-type"); ct.Type() == js.TypeString {
		out.Header.Set("Content-Type", ct.String())
	}
	return out, nil
}

// Client is an *http.Client over Transport.
func Client() *http.Client { return &http.Client{Transport: Transport{}} }

// Bytes copies b into a new JavaScript Uint8Array.
func Bytes(b []byte) js.Value {
	a := uint8Array.New(len(b))
	js.CopyBytesToJS(a, b)
	return a
}

// Await waits for a JavaScript promise, blocking only this goroutine. A
// rejection is an error with the rejection's text. Both callbacks are
// released once it settles, whichever ran.
func Await(p js.Value) (js.Value, error) {
	type result struct {
		v   js.Value
		err error
	}
	ch := make(chan result, 1)
	then := js.FuncOf(func(_ js.Value, args []js.Value) any {
		v := js.Undefined()
		if len(args) > 0 {
			v = args[0]
		}
		ch <- result{v: v}
		return nil
	})
	catch := js.FuncOf(func(_ js.Value, args []js.Value) any {
		msg := "rejected"
		if len(args) > 0 {
			msg = args[0].Call("toString").String()
		}
		ch <- result{err: errors.New(msg)}
		return nil
	})
	defer then.Release()
	defer catch.Release()
	p.Call("then", then, catch)
	r := <-ch
	return r.v, r.err
}
