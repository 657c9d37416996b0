package host

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/httpx"
	"github.com/paylastic/edge/core/kv"
	"github.com/paylastic/edge/wasm/abi"
)

// MaxRequestBody is the largest request body the harness passes to the guest.
const MaxRequestBody = 1 << 20

// ServeHTTP serves r through a leased guest instance.
func (h *Harness) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxRequestBody))
	if err != nil {
		http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
		return
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	req := abi.Request{Method: r.Method, URL: scheme + "://" + r.Host + r.URL.RequestURI(), Header: r.Header, Body: body, RemoteAddr: r.RemoteAddr}
	ctx := r.Context()
	if h.opts.Locate != nil {
		ctx = WithLocation(ctx, h.opts.Locate(r))
	}
	resp, err := h.Do(ctx, req, h.kvFor(r))
	if errors.Is(err, ErrBusy) {
		h.opts.Log.Warn("busy: no guest instance free", "method", r.Method, "path", r.URL.Path, "max_instances", h.opts.MaxInstances)
		w.Header().Set("Retry-After", "1")
		httpx.JSON(w, http.StatusServiceUnavailable, map[string]any{"error": map[string]string{"code": string(errs.Unavailable), "message": "busy, try again"}})
		return
	}
	if err != nil {
		status := http.StatusInternalServerError
		if errors.Is(err, context.DeadlineExceeded) {
			status = http.StatusGatewayTimeout
		}
		h.opts.Log.Error("guest failed", "method", r.Method, "path", r.URL.Path, "err", err)
		http.Error(w, "internal error", status)
		return
	}
	for k, vs := range resp.Header {
		w.Header()[k] = vs
	}
	w.WriteHeader(resp.Status)
	_, _ = w.Write(resp.Body)
}

func (h *Harness) kvFor(r *http.Request) kv.Store {
	if h.opts.KVFor != nil {
		return h.opts.KVFor(r)
	}
	return h.opts.KV
}

// Do runs one request on a leased instance, with store as its KV. A trap
// (including a recovered-too-late panic) is an error, the caller answers
// 500, and the instance is dropped; ErrBusy means no instance was free.
func (h *Harness) Do(ctx context.Context, req abi.Request, store kv.Store) (abi.Response, error) {
	ctx, cancel := context.WithTimeout(ctx, h.opts.Timeout)
	defer cancel()
	arg, err := json.Marshal(req)
	if err != nil {
		return abi.Response{}, err
	}
	in, err := h.pool.lease(ctx)
	if err != nil {
		return abi.Response{}, err
	}
	ctx = withCallState(ctx, h.newCallState(store))
	out, err := in.callWithBytes(ctx, "handle", arg)
	var resp abi.Response
	if err == nil {
		if err = json.Unmarshal(out, &resp); err != nil {
			err = fmt.Errorf("decode guest response: %w", err)
		}
	}
	h.pool.release(in, err != nil, resp.Retire)
	return resp, err
}

// Scheduled runs the guest's cron entry at now on a leased instance.
func (h *Harness) Scheduled(ctx context.Context, now time.Time) error {
	ctx, cancel := context.WithTimeout(ctx, h.opts.Timeout)
	defer cancel()
	store := h.opts.KV
	if h.opts.KVFor != nil {
		store = h.opts.KVFor(nil)
	}
	in, err := h.pool.lease(ctx)
	if err != nil {
		return fmt.Errorf("scheduled: %w", err)
	}
	ctx = withCallState(ctx, h.newCallState(store))
	var r abi.Result
	err = func() error {
		res, err := in.mod.ExportedFunction("scheduled").Call(ctx, uint64(now.UnixMilli()))
		if err != nil {
			return fmt.Errorf("scheduled: %w", err)
		}
		out, err := in.read(res[0])
		if err != nil {
			return err
		}
		if err := json.Unmarshal(out, &r); err != nil {
			return fmt.Errorf("scheduled: decode result: %w", err)
		}
		return nil
	}()
	h.pool.release(in, err != nil, r.Retire)
	if err != nil {
		return err
	}
	if !r.OK {
		return fmt.Errorf("scheduled: %s", r.Error)
	}
	return nil
}

// callWithBytes copies arg into a guest buffer and calls fn(ptr, len),
// which returns a packed (ptr, len) of its result.
func (in *instance) callWithBytes(ctx context.Context, fn string, arg []byte) ([]byte, error) {
	res, err := in.mod.ExportedFunction("alloc").Call(ctx, uint64(len(arg)))
	if err != nil {
		return nil, fmt.Errorf("guest alloc: %w", err)
	}
	ptr := uint32(res[0])
	if len(arg) > 0 && !in.mod.Memory().Write(ptr, arg) {
		return nil, fmt.Errorf("guest alloc: buffer out of range")
	}
	res, err = in.mod.ExportedFunction(fn).Call(ctx, uint64(ptr), uint64(len(arg)))
	if err != nil {
		return nil, fmt.Errorf("guest %s: %w", fn, err)
	}
	return in.read(res[0])
}

func (in *instance) read(packed uint64) ([]byte, error) {
	ptr, n := abi.Unpack(packed)
	b, ok := in.mod.Memory().Read(ptr, n)
	if !ok {
		return nil, fmt.Errorf("guest result out of range (ptr %d, len %d)", ptr, n)
	}
	return append([]byte(nil), b...), nil
}
