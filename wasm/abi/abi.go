// Package abi is the contract between the WASI guest (wasm/guest) and the
// wazero host (wasm/host). Both import it, so the two sides cannot drift.
//
// # Exports of the guest (module compiled with -buildmode=c-shared, a WASI reactor)
//
//	_initialize()                      Go runtime and package init; the host calls it once per instance
//	alloc(n u32) -> ptr u32            a guest buffer of n bytes, kept alive until the next handle/scheduled call
//	handle(ptr u32, n u32) -> u64      serve one HTTP request: the n bytes at ptr are a JSON Request;
//	                                   returns (ptr << 32 | len) of a JSON Response in guest memory
//	scheduled(now_ms i64) -> u64       run the cron pass at now (Unix ms); returns (ptr << 32 | len) of a
//	                                   JSON Result
//
// One instance serves many calls of handle and scheduled, one at a time
// (the host leases it to one request, then to the next), as a Worker's Go
// instance does in production: the guest builds the product once per
// instance, and nothing of one request may survive into the next. A
// Response or Result with Retire set asks the host not to lease the
// instance again (the guest left a goroutine running). The host may retire
// an instance at any time, and does after its memory or use count grows.
//
// A panic inside handle or scheduled is recovered by the guest and becomes a
// 500 Response or a failed Result. A trap the guest cannot recover (a fatal
// runtime error, a deadlock) reaches the host as a call error; the host
// answers 500 and discards the instance.
//
// # Imports the host provides (module "paylastic")
//
//	host_call(op u32, ptr u32, n u32) -> i64
//	    runs operation op with the n argument bytes at ptr. The result is
//	    kept by the host: r >= 0 means success with r result bytes; r < 0
//	    means failure with -r-1 bytes of a JSON Error. Either way the guest
//	    then fetches the bytes with host_take.
//	host_take(ptr u32, n u32)
//	    copies the pending result (exactly n bytes) to ptr and clears it.
//
// Two calls instead of the host writing into guest memory on its own: the
// host never needs to call back into the guest (no re-entrancy), and the
// guest allocates with its own Go allocator.
// The host keeps one pending result per instance, so a guest whose
// goroutines make host calls at once makes each call and its take one
// step: a goroutine can yield between them (wasm/guest's hostcall.go).
//
// Operations and their argument and result bytes:
//
//	OpKVGet     key                               → value
//	OpKVPut     PutArgs (binary, see EncodePut)   → empty
//	OpKVDelete  key                               → empty
//	OpKVList    ListArgs (JSON)                   → ListResult (JSON)
//	OpHTTP      Request (JSON)                    → Response (JSON)
//	OpLog       Record (JSON)                     → empty
//	OpSQL       see sql.go
//
// The guest's log records reach the host whole through OpLog, so the host
// prints each one once, in its own format. What the Go runtime writes to
// stderr (WASI fd 2: a fatal error's trace) the host forwards line by line.
package abi

import (
	"encoding/binary"
	"errors"
	"net/http"

	"github.com/paylastic/edge/core/kv"
)

// Module is the import module name.
const Module = "paylastic"

// Operations of host_call.
const (
	OpKVGet    uint32 = 1
	OpKVPut    uint32 = 2
	OpKVDelete uint32 = 3
	OpKVList   uint32 = 4
	OpHTTP     uint32 = 5
	OpLog      uint32 = 6
)

// Error codes carried in Error.Code; the guest maps them back to the kv
// package's sentinel errors.
const (
	CodeNotFound    = "not_found"
	CodeInvalidKey  = "invalid_key"
	CodeInvalidTTL  = "invalid_ttl"
	CodeUnavailable = "unavailable"
	CodeBadRequest  = "bad_request"
)

// Error is a failed operation.
type Error struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Request is an HTTP request crossing the boundary (both directions: a
// request the host serves through the guest, and one the guest sends out).
type Request struct {
	Method     string      `json:"method"`
	URL        string      `json:"url"`
	Header     http.Header `json:"header,omitempty"`
	Body       []byte      `json:"body,omitempty"`
	RemoteAddr string      `json:"remote_addr,omitempty"`
	TimeoutMS  int64       `json:"timeout_ms,omitempty"`
}

// Response is an HTTP response crossing the boundary.
type Response struct {
	Status int         `json:"status"`
	Header http.Header `json:"header,omitempty"`
	Body   []byte      `json:"body,omitempty"`
	// Retire (from handle only): do not lease this instance again.
	Retire bool `json:"retire,omitempty"`
}

// Result is what scheduled returns.
type Result struct {
	OK     bool   `json:"ok"`
	Error  string `json:"error,omitempty"`
	Retire bool   `json:"retire,omitempty"` // as Response.Retire
}

// ListArgs are the arguments of OpKVList.
type ListArgs struct {
	Prefix string `json:"prefix"`
	Cursor string `json:"cursor,omitempty"`
	Limit  int    `json:"limit,omitempty"`
}

// ListResult is the result of OpKVList. Expiration is Unix seconds, 0 for none.
type ListResult struct {
	Keys     []kv.ListedKey `json:"keys"`
	Cursor   string         `json:"cursor,omitempty"`
	Complete bool           `json:"complete"`
}

// EncodePut frames OpKVPut's arguments: u32 key length, key, u64 TTL in
// seconds (0 = none), value. Binary, so values are not base64-inflated.
func EncodePut(key string, value []byte, ttlSeconds uint64) []byte {
	b := make([]byte, 0, 12+len(key)+len(value))
	b = binary.LittleEndian.AppendUint32(b, uint32(len(key)))
	b = append(b, key...)
	b = binary.LittleEndian.AppendUint64(b, ttlSeconds)
	return append(b, value...)
}

// DecodePut undoes EncodePut.
func DecodePut(b []byte) (key string, value []byte, ttlSeconds uint64, err error) {
	if len(b) < 4 {
		return "", nil, 0, errors.New("abi: short put")
	}
	n := binary.LittleEndian.Uint32(b)
	if uint64(len(b)) < 4+uint64(n)+8 {
		return "", nil, 0, errors.New("abi: short put")
	}
	key = string(b[4 : 4+n])
	ttlSeconds = binary.LittleEndian.Uint64(b[4+n:])
	return key, b[12+n:], ttlSeconds, nil
}

// Pack and Unpack put a guest pointer and length in one u64 export result.
func Pack(ptr, n uint32) uint64 { return uint64(ptr)<<32 | uint64(n) }

// Unpack splits what Pack made.
func Unpack(v uint64) (ptr, n uint32) { return uint32(v >> 32), uint32(v) }
