package host

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/paylastic/edge/core/kv"
)

// ErrInjected is the error Faulty returns for an injected failure.
var ErrInjected = errors.New("injected kv failure")

// Faulty wraps a store to inject failures and latency, for fault tests.
type Faulty struct {
	kv.Store
	mu       sync.Mutex
	failNext map[string]int // by operation: "get", "put", "delete", "list"
	failAll  bool
	latency  time.Duration
}

var _ kv.Store = (*Faulty)(nil)

// NewFaulty wraps s.
func NewFaulty(s kv.Store) *Faulty { return &Faulty{Store: s, failNext: map[string]int{}} }

// FailNext makes the next n calls of op ("get", "put", "delete", "list") fail.
func (f *Faulty) FailNext(op string, n int) { f.mu.Lock(); f.failNext[op] += n; f.mu.Unlock() }

// FailAll makes every call fail while on is true.
func (f *Faulty) FailAll(on bool) { f.mu.Lock(); f.failAll = on; f.mu.Unlock() }

// SetLatency delays every call by d.
func (f *Faulty) SetLatency(d time.Duration) { f.mu.Lock(); f.latency = d; f.mu.Unlock() }

func (f *Faulty) fault(op string) error {
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

func (f *Faulty) Get(ctx context.Context, key string) ([]byte, error) {
	if err := f.fault("get"); err != nil {
		return nil, err
	}
	return f.Store.Get(ctx, key)
}

func (f *Faulty) Put(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	if err := f.fault("put"); err != nil {
		return err
	}
	return f.Store.Put(ctx, key, value, ttl)
}

func (f *Faulty) Delete(ctx context.Context, key string) error {
	if err := f.fault("delete"); err != nil {
		return err
	}
	return f.Store.Delete(ctx, key)
}

func (f *Faulty) List(ctx context.Context, prefix, cursor string, limit int) (kv.Page, error) {
	if err := f.fault("list"); err != nil {
		return kv.Page{}, err
	}
	return f.Store.List(ctx, prefix, cursor, limit)
}
