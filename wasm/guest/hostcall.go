//go:build wasip1

package main

import (
	"encoding/json"
	"fmt"
	"sync"
	"unsafe"

	"github.com/paylastic/edge/core/kv"
	"github.com/paylastic/edge/wasm/abi"
)

//go:wasmimport paylastic host_call
func hostCallRaw(op uint32, ptr unsafe.Pointer, n uint32) int64

//go:wasmimport paylastic host_take
func hostTake(ptr unsafe.Pointer, n uint32)

// calls makes a host call and the take of its result one step for the
// goroutines of a request: the host holds one pending result, and a
// goroutine can yield in between (allocating the buffer may assist the
// collector and park), which let another goroutine's call replace the
// result (TestHostCallsFromGoroutines).
var calls sync.Mutex

// betweenCallAndTake, when set (the test route /_test/calls-at-once), runs
// between a host call and the take of its result.
var betweenCallAndTake func()

// call runs a host operation and returns its result bytes, or an error
// carrying the host's code (see abi.Error).
func call(op uint32, args []byte) ([]byte, error) {
	buf, failed := callLocked(op, args)
	if !failed {
		return buf, nil
	}
	var e abi.Error
	if err := json.Unmarshal(buf, &e); err != nil {
		return nil, fmt.Errorf("host op %d: undecodable error %q", op, buf)
	}
	return nil, &hostError{e: e}
}

// callLocked is call's host call and take, under calls.
func callLocked(op uint32, args []byte) (buf []byte, failed bool) {
	calls.Lock()
	defer calls.Unlock()
	var p unsafe.Pointer
	if len(args) > 0 {
		p = unsafe.Pointer(&args[0])
	}
	r := hostCallRaw(op, p, uint32(len(args)))
	failed = r < 0
	n := r
	if failed {
		n = -r - 1
	}
	if betweenCallAndTake != nil {
		betweenCallAndTake()
	}
	buf = make([]byte, n)
	var bp unsafe.Pointer
	if n > 0 {
		bp = unsafe.Pointer(&buf[0])
	}
	hostTake(bp, uint32(n))
	return buf, failed
}

type hostError struct{ e abi.Error }

func (e *hostError) Error() string { return "host: " + e.e.Code + ": " + e.e.Message }

// Is maps the host's codes to the kv port's sentinel errors.
func (e *hostError) Is(target error) bool {
	switch e.e.Code {
	case abi.CodeNotFound:
		return target == kv.ErrNotFound
	case abi.CodeInvalidKey:
		return target == kv.ErrInvalidKey
	case abi.CodeInvalidTTL:
		return target == kv.ErrInvalidTTL
	}
	return false
}
