package kv

import (
	"context"
	"sync/atomic"
	"time"
)

// Counting wraps a Store and counts operations, so tests can measure what a
// flow costs in KV reads and writes (the Free plan allows 1000 writes a day).
type Counting struct {
	Store
	Gets, Puts, Deletes, Lists atomic.Int64
}

var _ Store = (*Counting)(nil)

// Counts is a snapshot of a Counting's counters.
type Counts struct{ Gets, Puts, Deletes, Lists int64 }

func (c *Counting) Get(ctx context.Context, key string) ([]byte, error) {
	c.Gets.Add(1)
	return c.Store.Get(ctx, key)
}

func (c *Counting) Put(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	c.Puts.Add(1)
	return c.Store.Put(ctx, key, value, ttl)
}

func (c *Counting) Delete(ctx context.Context, key string) error {
	c.Deletes.Add(1)
	return c.Store.Delete(ctx, key)
}

func (c *Counting) List(ctx context.Context, prefix, cursor string, limit int) (Page, error) {
	c.Lists.Add(1)
	return c.Store.List(ctx, prefix, cursor, limit)
}

// Snapshot returns the counters now.
func (c *Counting) Snapshot() Counts {
	return Counts{c.Gets.Load(), c.Puts.Load(), c.Deletes.Load(), c.Lists.Load()}
}

// Sub returns the operations between an earlier snapshot and this one.
func (n Counts) Sub(earlier Counts) Counts {
	return Counts{n.Gets - earlier.Gets, n.Puts - earlier.Puts, n.Deletes - earlier.Deletes, n.Lists - earlier.Lists}
}
