package castest

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/paylastic/edge/core/cas"
)

// Calls is a cas.Store that counts the calls made to it, conditional writes
// that fail included: what a test of a use case's round trips observes (on
// the Worker each call is a D1 statement).
type Calls struct {
	cas.Store
	Gets, GetManys, Puts atomic.Int64
}

func (c *Calls) Get(ctx context.Context, key string) (cas.Record, error) {
	c.Gets.Add(1)
	return c.Store.Get(ctx, key)
}

func (c *Calls) GetMany(ctx context.Context, keys []string) (map[string]cas.Record, error) {
	c.GetManys.Add(1)
	return c.Store.GetMany(ctx, keys)
}

func (c *Calls) Put(ctx context.Context, key string, value []byte, version int64, expires time.Time) (int64, error) {
	c.Puts.Add(1)
	return c.Store.Put(ctx, key, value, version, expires)
}
