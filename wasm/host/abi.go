package host

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/tetratelabs/wazero/api"

	"github.com/paylastic/edge/core/kv"
	"github.com/paylastic/edge/wasm/abi"
)

// callState is what the host calls of one lease (one request or scheduled
// pass) work with. A new one is made for every lease, so nothing of one
// request reaches the next on the same instance.
type callState struct {
	kv      kv.Store
	sql     *sql.DB // OpSQL (sql.go)
	http    *http.Client
	log     *slog.Logger
	pending []byte
}

func (h *Harness) newCallState(store kv.Store) *callState {
	return &callState{kv: store, sql: h.opts.SQL, http: h.opts.HTTP, log: h.opts.Log}
}

type callStateKey struct{}

func withCallState(ctx context.Context, cs *callState) context.Context {
	return context.WithValue(ctx, callStateKey{}, cs)
}

func stateOf(ctx context.Context) *callState {
	cs, _ := ctx.Value(callStateKey{}).(*callState)
	return cs
}

// instantiateABI defines the "paylastic" host module (see package abi).
func (h *Harness) instantiateABI(ctx context.Context) error {
	_, err := h.runtime.NewHostModuleBuilder(abi.Module).
		NewFunctionBuilder().WithGoModuleFunction(api.GoModuleFunc(hostCall),
		[]api.ValueType{api.ValueTypeI32, api.ValueTypeI32, api.ValueTypeI32}, []api.ValueType{api.ValueTypeI64}).
		Export("host_call").
		NewFunctionBuilder().WithGoModuleFunction(api.GoModuleFunc(hostTake),
		[]api.ValueType{api.ValueTypeI32, api.ValueTypeI32}, nil).
		Export("host_take").
		Instantiate(ctx)
	if err != nil {
		return fmt.Errorf("host: abi module: %w", err)
	}
	return nil
}

func hostCall(ctx context.Context, m api.Module, stack []uint64) {
	op, ptr, n := api.DecodeU32(stack[0]), api.DecodeU32(stack[1]), api.DecodeU32(stack[2])
	cs := stateOf(ctx)
	args, ok := m.Memory().Read(ptr, n)
	if !ok || cs == nil {
		panic(fmt.Sprintf("host_call: bad arguments (ptr %d, len %d)", ptr, n))
	}
	args = bytes.Clone(args) // a view into guest memory: copy before anything can grow it
	out, err := cs.do(ctx, op, args)
	if err != nil {
		e := abi.Error{Code: codeOf(err), Message: err.Error()}
		cs.pending, _ = json.Marshal(e)
		stack[0] = api.EncodeI64(-int64(len(cs.pending)) - 1)
		return
	}
	cs.pending = out
	stack[0] = api.EncodeI64(int64(len(out)))
}

func hostTake(ctx context.Context, m api.Module, stack []uint64) {
	ptr, n := api.DecodeU32(stack[0]), api.DecodeU32(stack[1])
	cs := stateOf(ctx)
	if cs == nil || int(n) != len(cs.pending) {
		panic("host_take: length does not match the pending result")
	}
	if n > 0 && !m.Memory().Write(ptr, cs.pending) {
		panic("host_take: write out of range")
	}
	cs.pending = nil
}

func codeOf(err error) string {
	switch {
	case errors.Is(err, kv.ErrNotFound):
		return abi.CodeNotFound
	case errors.Is(err, kv.ErrInvalidKey):
		return abi.CodeInvalidKey
	case errors.Is(err, kv.ErrInvalidTTL):
		return abi.CodeInvalidTTL
	case errors.Is(err, errBadArgs):
		return abi.CodeBadRequest
	}
	return abi.CodeUnavailable
}

var errBadArgs = errors.New("bad arguments")

func (cs *callState) do(ctx context.Context, op uint32, args []byte) ([]byte, error) {
	switch op {
	case abi.OpKVGet:
		return cs.kv.Get(ctx, string(args))
	case abi.OpKVPut:
		key, val, ttl, err := abi.DecodePut(args)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", errBadArgs, err)
		}
		return nil, cs.kv.Put(ctx, key, val, time.Duration(ttl)*time.Second)
	case abi.OpKVDelete:
		return nil, cs.kv.Delete(ctx, string(args))
	case abi.OpKVList:
		var a abi.ListArgs
		if err := json.Unmarshal(args, &a); err != nil {
			return nil, fmt.Errorf("%w: %v", errBadArgs, err)
		}
		p, err := cs.kv.List(ctx, a.Prefix, a.Cursor, a.Limit)
		if err != nil {
			return nil, err
		}
		var res abi.ListResult
		res.Cursor, res.Complete = p.Cursor, p.Complete
		res.Keys = make([]kv.ListedKey, len(p.Keys))
		for i, k := range p.Keys {
			res.Keys[i] = kv.Listed(k)
		}
		return json.Marshal(res)
	case abi.OpHTTP:
		return cs.fetch(ctx, args)
	case abi.OpSQL:
		return cs.sqlCall(ctx, args)
	case abi.OpLog:
		return nil, cs.logRecord(ctx, args)
	}
	return nil, fmt.Errorf("%w: unknown op %d", errBadArgs, op)
}

// fetch sends one outbound request of the guest with net/http.
func (cs *callState) fetch(ctx context.Context, args []byte) ([]byte, error) {
	var req abi.Request
	if err := json.Unmarshal(args, &req); err != nil {
		return nil, fmt.Errorf("%w: %v", errBadArgs, err)
	}
	if req.TimeoutMS > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, time.Duration(req.TimeoutMS)*time.Millisecond)
		defer cancel()
	}
	r, err := http.NewRequestWithContext(ctx, req.Method, req.URL, bytes.NewReader(req.Body))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errBadArgs, err)
	}
	for k, vs := range req.Header {
		r.Header[k] = vs
	}
	resp, err := cs.http.Do(r)
	if err != nil {
		return nil, fmt.Errorf("fetch %s %s: %w", req.Method, r.URL.Redacted(), err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 32<<20))
	if err != nil {
		return nil, fmt.Errorf("fetch %s %s: read body: %w", req.Method, r.URL.Redacted(), err)
	}
	return json.Marshal(abi.Response{Status: resp.StatusCode, Header: resp.Header, Body: body})
}

// logWriter forwards the guest's stderr, line by line, to the harness log.
type logWriter struct {
	log *slog.Logger
	buf []byte
}

func (w *logWriter) Write(p []byte) (int, error) {
	w.buf = append(w.buf, p...)
	for {
		i := bytes.IndexByte(w.buf, '\n')
		if i < 0 {
			break
		}
		w.log.Info(string(w.buf[:i]), "src", "guest")
		w.buf = w.buf[i+1:]
	}
	return len(p), nil
}
