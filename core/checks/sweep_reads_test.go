package checks

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/paylastic/edge/core/cas"
)

// readCounter counts a store's single and batched reads.
type readCounter struct {
	cas.Store
	gets, getManys atomic.Int64
}

func (c *readCounter) Get(ctx context.Context, key string) (cas.Record, error) {
	c.gets.Add(1)
	return c.Store.Get(ctx, key)
}

func (c *readCounter) GetMany(ctx context.Context, keys []string) (map[string]cas.Record, error) {
	c.getManys.Add(1)
	return c.Store.GetMany(ctx, keys)
}

// The scheduled pass reads the states of a day's checks in one GetMany, not
// one Get per check: on the Worker each read is a D1 round trip.
func TestSweepReadsStatesAtOnce(t *testing.T) {
	f := newFixture(t)
	for i := range 5 {
		f.create(t, "10", fmt.Sprintf("telegram:42:%d", i))
	}
	reads := &readCounter{Store: f.cas}
	f.svc.States = reads
	f.now = f.now.Add(time.Minute) // nothing to do: open, not expired
	rep, err := f.svc.Sweep(context.Background(), f.now)
	if err != nil || rep.Seen != 5 || rep.Expired != 0 {
		t.Fatalf("sweep = %+v, %v; want 5 seen, none expired", rep, err)
	}
	if g, m := reads.gets.Load(), reads.getManys.Load(); g != 0 || m != 1 {
		t.Errorf("sweep of 5 checks read %d states one by one and %d batches; want 0 and 1 (for the one day that has checks)", g, m)
	}
}
