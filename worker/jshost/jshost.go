//go:build js && wasm

// Package jshost is how the Worker's Go code calls the runtime's
// asynchronous APIs (Workers KV, D1, fetch) and how the pool hands it
// events: a few WebAssembly imports and exports that pass numbers and
// bytes in Go's linear memory (the "paylastic" import module that
// worker/js/pool.mjs gives each instance), not syscall/js.
//
// A call is Call(op, args): the import paylastic.call(id, op, ptr, len)
// hands the pool the arguments' bytes (wire.go), which it reads at once;
// the pool awaits the promise and answers with the export
// paylastic_settled(id, ok, len) and a resume of the Go runtime; the
// waiting goroutine then copies the answer's bytes in with the import
// paylastic.take(id, ptr). syscall/js did the same with a js.Func event:
// every argument and every value of the answer a JavaScript reference
// (with a finalizer on the Go side) and a crossing into wasm_exec.js for
// each Get, Index and Set (RATIONALE: "Why does Go talk to the pool in
// bytes?" has the profiles before and after).
//
// Exports run while the Go runtime is paused between events; they only
// hand a value to a buffered channel and return, and the pool resumes the
// runtime right after, which runs the goroutine that was waiting.
package jshost

import (
	"errors"
	"sync"
	"unsafe"
)

// Op is a host operation, as pool.mjs numbers them (its OPS).
type Op uint32

// The operations. Each one's arguments and answer, in wire.go's fields:
const (
	// OpNop: none; none. A round trip by itself (worker/bench TestHostCalls).
	OpNop Op = iota
	// OpKVGet: binding, key (text); found (flag), the value (rest).
	OpKVGet
	// OpKVPut: binding, key (text), value (bytes), ttl seconds (num, 0: none); none.
	OpKVPut
	// OpKVDelete: binding, key (text); none.
	OpKVDelete
	// OpKVList: binding, prefix, cursor (text), limit (num); complete
	// (flag), cursor (text), the keys in worker/cfkv's listwire bytes (rest).
	OpKVList
	// OpSQL: binding, query (text), arguments in worker/d1's bytes
	// (bytes), rows wanted (flag); the result in worker/d1's bytes (rest).
	OpSQL
	// OpFetch: url, method, headers "name\nvalue\n…" (text), has a body
	// (flag), body (bytes); status (num), content type (text), body (rest).
	OpFetch
	// OpKVGetMany: binding (text), reads in flight at most (num), key
	// count (num), the keys (text each); per key found (flag) and the
	// value (bytes).
	OpKVGetMany
	// OpKVListMany: binding (text), lists in flight at most, pages per
	// prefix at most (num), prefix count (num), the prefixes (text each);
	// per prefix its key count (num) and the names (text each), every
	// prefix listed to its last page.
	OpKVListMany
)

//go:wasmimport paylastic call
func hostCall(id uint32, op uint32, args unsafe.Pointer, n uint32)

//go:wasmimport paylastic take
func hostTake(id uint32, dst unsafe.Pointer)

type answer struct {
	ok bool
	n  uint32
}

var (
	mu      sync.Mutex
	next    uint32
	pending = map[uint32]chan answer{}
)

//go:wasmexport paylastic_settled
func settled(id, ok, n uint32) {
	mu.Lock()
	ch := pending[id]
	delete(pending, id)
	mu.Unlock()
	if ch != nil {
		ch <- answer{ok: ok != 0, n: n} // buffered: never blocks
	}
}

// Call runs host operation op with the arguments' bytes and waits for it
// to settle: its answer's bytes, or its rejection's message as an error.
// It blocks only the calling goroutine.
func Call(op Op, args []byte) ([]byte, error) {
	ch := make(chan answer, 1)
	mu.Lock()
	// below 2^31: the pool numbers its events from there, and an event's
	// bytes and a call's wait in the same place
	next = next%(1<<31-1) + 1
	id := next
	pending[id] = ch
	mu.Unlock()
	hostCall(id, uint32(op), ptr(args), uint32(len(args)))
	a := <-ch
	b := Take(id, a.n)
	if !a.ok {
		return nil, errors.New(string(b))
	}
	return b, nil
}

// Take copies in the n bytes the pool holds for call or event id.
func Take(id, n uint32) []byte {
	b := make([]byte, n)
	hostTake(id, ptr(b))
	return b
}

// ptr is where b starts in linear memory (nil for an empty b: the pool
// reads no bytes then). The import reads or writes b before it returns,
// while the caller still holds b.
func ptr(b []byte) unsafe.Pointer {
	if len(b) == 0 {
		return nil
	}
	return unsafe.Pointer(unsafe.SliceData(b))
}
