package host

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"
)

// ErrBusy is the answer to a request that found every instance leased and
// the waiting line full, or waited MaxWait for one in vain. ServeHTTP
// answers it 503 with Retry-After.
var ErrBusy = errors.New("host: every guest instance is busy")

// Pool defaults: the harness may run several instances per request in
// flight, more than a Workers isolate's 128 MB would hold (worker/js/pool.mjs
// keeps 3), because a developer's machine has the memory and the e2e suite
// runs requests in parallel.
const (
	DefaultMaxInstances = 8
	DefaultMaxWaiting   = 512
	DefaultMaxWait      = 10 * time.Second
	DefaultMaxUses      = 1000
	DefaultRetireBytes  = 64 << 20
)

// pool leases guest instances, one request at a time each. Idle instances
// are reused (most recently used first: its memory is warm); a new one is
// made while fewer than max are leased; past that a request waits, in a
// line of at most maxWaiting, up to maxWait. With fresh, every instance is
// closed after its one call, and the same admission bounds how many exist.
type pool struct {
	h       *Harness
	fresh   bool
	slots   chan struct{} // one token per lease: at most cap(slots) at once
	waiting atomic.Int64

	mu   sync.Mutex
	idle []*instance

	created, reused, retired, crashed, rejected atomic.Int64
}

// PoolStats counts what the pool did since the harness started.
type PoolStats struct {
	Leased   int   // instances serving a request now
	Waiting  int   // requests waiting for an instance now
	Idle     int   // instances waiting for a request now
	Created  int64 // instances made
	Reused   int64 // leases served by an instance that had served before
	Retired  int64 // instances closed for their age, memory or a goroutine left running (fresh: every one)
	Crashed  int64 // instances dropped after a trap, an exit or a timeout
	Rejected int64 // requests answered ErrBusy
}

func newPool(h *Harness) *pool {
	return &pool{h: h, fresh: h.opts.Fresh, slots: make(chan struct{}, h.opts.MaxInstances)}
}

// lease returns an instance that serves the caller alone until release.
func (p *pool) lease(ctx context.Context) (*instance, error) {
	if err := p.admit(ctx); err != nil {
		return nil, err
	}
	p.mu.Lock()
	var in *instance
	if n := len(p.idle); n > 0 {
		in, p.idle = p.idle[n-1], p.idle[:n-1]
	}
	p.mu.Unlock()
	if in != nil {
		p.reused.Add(1)
		in.uses++
		return in, nil
	}
	in, err := p.h.instantiate(ctx)
	if err != nil {
		<-p.slots
		return nil, err
	}
	p.created.Add(1)
	in.uses = 1
	return in, nil
}

// admit takes a slot at once, or waits in line for one.
func (p *pool) admit(ctx context.Context) error {
	select {
	case p.slots <- struct{}{}:
		return nil
	default:
	}
	if p.waiting.Add(1) > int64(p.h.opts.MaxWaiting) {
		p.waiting.Add(-1)
		p.rejected.Add(1)
		return ErrBusy
	}
	defer p.waiting.Add(-1)
	t := time.NewTimer(p.h.opts.MaxWait)
	defer t.Stop()
	select {
	case p.slots <- struct{}{}:
		return nil
	case <-t.C:
		p.rejected.Add(1)
		return ErrBusy
	case <-ctx.Done():
		return ctx.Err()
	}
}

// release ends a lease. An instance that failed (trapped, exited, timed
// out), asked to be retired, grew past RetireBytes or served MaxUses
// requests is closed; any other goes back to the idle list.
func (p *pool) release(in *instance, failed, retire bool) {
	defer func() { <-p.slots }()
	switch {
	case failed:
		p.crashed.Add(1)
	case p.fresh || retire || in.uses >= p.h.opts.MaxUses || in.mod.Memory().Size() > p.h.opts.RetireBytes:
		p.retired.Add(1)
	default:
		p.mu.Lock()
		p.idle = append(p.idle, in)
		p.mu.Unlock()
		return
	}
	_ = in.mod.Close(context.Background())
}

// close closes the idle instances (the runtime closes any still leased).
func (p *pool) close(ctx context.Context) {
	p.mu.Lock()
	idle := p.idle
	p.idle = nil
	p.mu.Unlock()
	for _, in := range idle {
		_ = in.mod.Close(ctx)
	}
}

func (p *pool) stats() PoolStats {
	p.mu.Lock()
	idle := len(p.idle)
	p.mu.Unlock()
	return PoolStats{Leased: len(p.slots), Waiting: int(p.waiting.Load()), Idle: idle, Created: p.created.Load(), Reused: p.reused.Load(), Retired: p.retired.Load(), Crashed: p.crashed.Load(), Rejected: p.rejected.Load()}
}

// Stats reports what the instance pool did so far.
func (h *Harness) Stats() PoolStats { return h.pool.stats() }
