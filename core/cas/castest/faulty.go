package castest

import (
	"context"
	"errors"
	"sync/atomic"
	"time"

	"github.com/paylastic/edge/core/cas"
)

// ErrDown is what a Faulty store answers while it is failing.
var ErrDown = errors.New("castest: store down")

// Faulty wraps a store for tests of what its callers do when it fails:
// reads fail while FailGet is set, writes while FailPut is, the next write
// once when FailNextPut is (a blip), and every call that reached the store
// is counted.
type Faulty struct {
	cas.Store
	FailGet, FailPut, FailNextPut atomic.Bool
	gets, puts                    atomic.Int64
}

// Counts is how many reads (Get, GetMany, List) and successful writes reached the store.
func (f *Faulty) Counts() (gets, puts int64) { return f.gets.Load(), f.puts.Load() }

func (f *Faulty) Get(ctx context.Context, key string) (cas.Record, error) {
	if f.FailGet.Load() {
		return cas.Record{}, ErrDown
	}
	f.gets.Add(1)
	return f.Store.Get(ctx, key)
}

func (f *Faulty) GetMany(ctx context.Context, keys []string) (map[string]cas.Record, error) {
	if f.FailGet.Load() {
		return nil, ErrDown
	}
	f.gets.Add(1)
	return f.Store.GetMany(ctx, keys)
}

func (f *Faulty) List(ctx context.Context, prefix, after string, limit int) ([]cas.Item, error) {
	if f.FailGet.Load() {
		return nil, ErrDown
	}
	f.gets.Add(1)
	return f.Store.List(ctx, prefix, after, limit)
}

func (f *Faulty) Put(ctx context.Context, key string, value []byte, version int64, expires time.Time) (int64, error) {
	if f.FailPut.Load() || f.FailNextPut.CompareAndSwap(true, false) {
		return 0, ErrDown
	}
	n, err := f.Store.Put(ctx, key, value, version, expires)
	if err == nil {
		f.puts.Add(1)
	}
	return n, err
}
