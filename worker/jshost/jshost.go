//go:build js && wasm

// Package jshost is how the Worker's Go code calls the runtime's
// asynchronous APIs (Workers KV, fetch): through small functions the
// JavaScript pool gives each instance (context.host, see pool.mjs), which
// await the promise in JavaScript and hand the result back through one
// callback made once per instance (binding.settled).
//
// Awaiting a promise from Go costs a pair of js.Func callbacks per call and
// a js.Value (with its finalizer) for every object it touches; a Telegram
// update made a dozen such calls. Here a call costs one call into
// JavaScript and one back, and passes only the values the caller needs.
package jshost

import (
	"errors"
	"sync"
	"syscall/js"
)

var (
	mu      sync.Mutex
	next    int
	pending = map[int]chan result{}
	host    js.Value
)

type result struct {
	vals []js.Value
	err  error
}

// Register sets binding.settled, the callback that ends a call. The Worker
// calls it once, at the start of an instance.
func Register(binding js.Value) {
	host = js.Global().Get("context").Get("host")
	binding.Set("settled", js.FuncOf(func(_ js.Value, args []js.Value) any {
		id := args[0].Int()
		mu.Lock()
		ch := pending[id]
		delete(pending, id)
		mu.Unlock()
		if ch == nil {
			return nil
		}
		r := result{}
		if e := args[1]; e.Type() == js.TypeString {
			r.err = errors.New(e.String())
		} else {
			r.vals = append([]js.Value(nil), args[2:]...)
		}
		ch <- r
		return nil
	}))
}

// Call calls host function fn with args and waits for it to settle: the
// values it resolved to, or its rejection as an error. It blocks only the
// calling goroutine.
func Call(fn string, args ...any) ([]js.Value, error) {
	ch := make(chan result, 1)
	mu.Lock()
	next++
	id := next
	pending[id] = ch
	mu.Unlock()
	host.Call(fn, append(args, id)...)
	r := <-ch
	return r.vals, r.err
}

var uint8Array = js.Global().Get("Uint8Array")

// Bytes copies b into a new JavaScript Uint8Array.
func Bytes(b []byte) js.Value {
	a := uint8Array.New(len(b))
	js.CopyBytesToJS(a, b)
	return a
}

// GoBytes copies a JavaScript Uint8Array out.
func GoBytes(a js.Value) []byte {
	b := make([]byte, a.Get("byteLength").Int())
	js.CopyBytesToGo(b, a)
	return b
}
