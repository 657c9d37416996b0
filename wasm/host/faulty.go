package host

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/paylastic/edge/core/kv"
	"github.com/paylastic/edge/internal/kvfault"
)

// ErrInjected is the error Faulty returns for an injected failure.
var ErrInjected = errors.New("injected kv failure")

// Faulty wraps a store to inject failures and latency, for fault tests: the
// next n calls of one operation, or every call while FailAll is on.
type Faulty struct {
	kvfault.Store
	mu       sync.Mutex
	failNext map[string]int // by operation: "get", "put", "delete", "list"
	failAll  bool
	latency  time.Duration
}

var _ kv.Store = (*Faulty)(nil)

// NewFaulty wraps s.
func NewFaulty(s kv.Store) *Faulty {
	f := &Faulty{failNext: map[string]int{}}
	f.Store = kvfault.Store{Store: s, Fail: f.fault}
	return f
}

// FailNext makes the next n calls of op ("get", "put", "delete", "list") fail.
func (f *Faulty) FailNext(op string, n int) { f.mu.Lock(); f.failNext[op] += n; f.mu.Unlock() }

// FailAll makes every call fail while on is true.
func (f *Faulty) FailAll(on bool) { f.mu.Lock(); f.failAll = on; f.mu.Unlock() }

// SetLatency delays every call by d.
func (f *Faulty) SetLatency(d time.Duration) { f.mu.Lock(); f.latency = d; f.mu.Unlock() }

func (f *Faulty) fault(_ context.Context, op, _ string) error {
	f.mu.Lock()
	lat, fail := f.latency, f.failAll
	if f.failNext[op] > 0 {
		f.failNext[op]--
		fail = true
	}
	f.mu.Unlock()
	if lat > 0 {
		time.Sleep(lat)
	}
	if fail {
		return ErrInjected
	}
	return nil
}
