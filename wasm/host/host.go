// Package host is the local edge: a native Go harness that runs the product's
// WASI guest (wasm/guest) on wazero the way Cloudflare Workers run the Worker
// build: a pool of long-lived instances, each leased to one request at a
// time, as worker/js/pool.mjs does in production (Options.Fresh makes a new
// instance per request instead, as syumai's own entry does), and supplies
// the ports of the host ABI (package abi): KV, SQL, outbound HTTP, logs,
// the clock and randomness. What a host call works with belongs to the
// lease (callState), never to the instance.
package host

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"

	"github.com/paylastic/edge/core/kv"
)

// Options configure a Harness. Wasm is required; the rest have defaults.
type Options struct {
	Wasm     []byte // the compiled guest (build/guest.wasm)
	CacheDir string // wazero compilation cache; "" keeps it in memory
	// Env is the guest's environment: the product's variables
	// (PUBLIC_BASE_URL, LINK_SECRET, …), as README's Configuration lists them.
	Env map[string]string
	// KV is the store every request sees. KVFor, if set, picks a store per
	// request instead (to simulate Workers KV locations, see Lagged).
	KV    kv.Store
	KVFor func(r *http.Request) kv.Store
	// Locate names the Workers location that serves r (default: none).
	// The name reaches stores through the context (see LocationFrom), so
	// Lagged.Routed can show each location its own view.
	Locate func(r *http.Request) string
	// SQL is the database of the host ABI's OpSQL, holding the consistent
	// store's schema (package sqlitedb; default: a fresh one in memory).
	SQL *sql.DB
	// HTTP sends the guest's outbound requests (default: a 30 s client).
	HTTP *http.Client
	// Now is the guest's clock (default time.Now); Rand its randomness
	// (default crypto/rand).
	Now  func() time.Time
	Rand io.Reader
	// Log receives the guest's stderr lines and the harness's own logs.
	Log *slog.Logger
	// Timeout bounds one request or scheduled pass; past it the instance is
	// closed and the request answered 504 (default 60 s).
	Timeout time.Duration
	// MemoryLimitPages caps an instance's linear memory (default 2048 pages
	// = 128 MiB, the Workers isolate limit).
	MemoryLimitPages uint32

	// Fresh makes a new instance for every request and scheduled pass
	// (Go runtime and package init each time, ~30 ms); by default
	// instances are pooled and reused (pool.go).
	Fresh bool
	Limits
}

// Limits are the pool's; zero fields take the defaults.
type Limits struct {
	// MaxInstances caps the instances leased at once (DefaultMaxInstances);
	// past it up to MaxWaiting requests (DefaultMaxWaiting) wait up to
	// MaxWait (DefaultMaxWait) each, and the rest get ErrBusy.
	MaxInstances int
	MaxWaiting   int
	MaxWait      time.Duration
	// MaxUses and RetireBytes retire a pooled instance after that many
	// leases (DefaultMaxUses) or once its linear memory is larger
	// (DefaultRetireBytes): Go's heap only grows.
	MaxUses     int
	RetireBytes uint32
}

// Harness runs the guest.
type Harness struct {
	opts     Options
	runtime  wazero.Runtime
	compiled wazero.CompiledModule
	cache    wazero.CompilationCache
	// CompileTime is how long compiling the guest took (short with a warm cache).
	CompileTime time.Duration
	randMu      sync.Mutex
	ownSQL      bool // opts.SQL was opened by New (sql.go)
	pool        *pool
}

// or is v, or def when v is zero.
func or[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// New compiles the guest and prepares the runtime.
func New(ctx context.Context, o Options) (*Harness, error) {
	if len(o.Wasm) == 0 {
		return nil, errors.New("host: no guest wasm")
	}
	if o.KV == nil && o.KVFor == nil {
		o.KV = kv.NewMem(o.Now)
	}
	if o.HTTP == nil {
		o.HTTP = &http.Client{Timeout: 30 * time.Second}
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Rand == nil {
		o.Rand = rand.Reader
	}
	if o.Log == nil {
		o.Log = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	if o.Timeout == 0 {
		o.Timeout = 60 * time.Second
	}
	if o.MemoryLimitPages == 0 {
		o.MemoryLimitPages = 2048
	}
	o.MaxInstances = or(o.MaxInstances, DefaultMaxInstances)
	o.MaxWaiting = or(o.MaxWaiting, DefaultMaxWaiting)
	o.MaxWait = or(o.MaxWait, DefaultMaxWait)
	o.MaxUses = or(o.MaxUses, DefaultMaxUses)
	o.RetireBytes = or(o.RetireBytes, DefaultRetireBytes)
	h := &Harness{opts: o}
	h.pool = newPool(h)
	if err := h.openSQL(ctx); err != nil {
		return nil, err
	}
	cfg := wazero.NewRuntimeConfig().WithCloseOnContextDone(true).WithMemoryLimitPages(o.MemoryLimitPages)
	if o.CacheDir != "" {
		c, err := wazero.NewCompilationCacheWithDir(o.CacheDir)
		if err != nil {
			return nil, fmt.Errorf("host: compilation cache %s: %w", o.CacheDir, err)
		}
		h.cache = c
		cfg = cfg.WithCompilationCache(c)
	}
	h.runtime = wazero.NewRuntimeWithConfig(ctx, cfg)
	if _, err := wasi_snapshot_preview1.Instantiate(ctx, h.runtime); err != nil {
		return nil, fmt.Errorf("host: wasi: %w", err)
	}
	if err := h.instantiateABI(ctx); err != nil {
		return nil, err
	}
	start := time.Now()
	cm, err := h.runtime.CompileModule(ctx, o.Wasm)
	if err != nil {
		return nil, fmt.Errorf("host: compile guest: %w", err)
	}
	h.CompileTime = time.Since(start)
	h.compiled = cm
	for _, name := range []string{"alloc", "handle", "scheduled"} {
		if _, ok := cm.ExportedFunctions()[name]; !ok {
			return nil, fmt.Errorf("host: guest does not export %s: build it with -buildmode=c-shared", name)
		}
	}
	return h, nil
}

// Close releases the instances and the runtime.
func (h *Harness) Close(ctx context.Context) error {
	h.pool.close(ctx)
	err := h.runtime.Close(ctx)
	h.closeSQL()
	if h.cache != nil {
		_ = h.cache.Close(ctx)
	}
	return err
}

// instance is one guest instance. It holds nothing of the requests it
// serves: their state reaches the host calls through each call's context.
type instance struct {
	mod  api.Module
	uses int // leases so far (pool.go)
}

// instantiate starts a guest instance: Go runtime init and package init run
// here, once per instance (with Options.Fresh, once per request, as
// syumai's own Worker entry does). The clock is read on every call, never
// captured.
func (h *Harness) instantiate(ctx context.Context) (*instance, error) {
	ctx = withCallState(ctx, h.newCallState(h.opts.KV)) // for init; no request yet
	now := h.opts.Now
	mc := wazero.NewModuleConfig().
		WithName("").
		WithStartFunctions("_initialize").
		WithStderr(&logWriter{log: h.opts.Log}).
		WithStdout(&logWriter{log: h.opts.Log}).
		WithWalltime(func() (int64, int32) {
			t := now()
			return t.Unix(), int32(t.Nanosecond())
		}, 1).
		WithNanotime(func() int64 { return now().UnixNano() }, 1).
		WithSysNanosleep().
		WithRandSource(&lockedReader{r: h.opts.Rand, mu: &h.randMu})
	for k, v := range h.opts.Env {
		mc = mc.WithEnv(k, v)
	}
	mod, err := h.runtime.InstantiateModule(ctx, h.compiled, mc)
	if err != nil {
		return nil, fmt.Errorf("instantiate guest: %w", err)
	}
	return &instance{mod: mod}, nil
}

type lockedReader struct {
	r  io.Reader
	mu *sync.Mutex
}

func (l *lockedReader) Read(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.r.Read(p)
}
