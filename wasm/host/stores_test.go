package host

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/paylastic/edge/core/kv"
	"github.com/paylastic/edge/core/kv/kvtest"
)

type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *testClock) Advance(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

func TestLaggedConformance(t *testing.T) {
	c := &testClock{now: time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)}
	kvtest.Run(t, kvtest.Harness{
		New:     func(t *testing.T) kv.Store { return NewLagged(c.Now, time.Minute).At("kyiv") },
		Advance: c.Advance,
	})
}

func TestFaultyConformance(t *testing.T) {
	kvtest.Run(t, kvtest.Harness{New: func(t *testing.T) kv.Store { return NewFaulty(kv.NewMem(nil)) }})
}

func TestLaggedPropagation(t *testing.T) {
	ctx := context.Background()
	c := &testClock{now: time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)}
	l := NewLagged(c.Now, 60*time.Second)
	here, there := l.At("kyiv"), l.At("warsaw")
	if err := here.Put(ctx, "k", []byte("v1"), 0); err != nil {
		t.Fatal(err)
	}
	if v, err := here.Get(ctx, "k"); err != nil || string(v) != "v1" {
		t.Fatalf("writer's own read = %q, %v", v, err)
	}
	if _, err := there.Get(ctx, "k"); !errors.Is(err, kv.ErrNotFound) {
		t.Fatalf("other location saw the write at once: %v", err)
	}
	c.Advance(59 * time.Second)
	if p, _ := there.List(ctx, "", "", 0); len(p.Keys) != 0 {
		t.Fatalf("other location listed the key after 59s: %v", p.Keys)
	}
	c.Advance(time.Second)
	if v, err := there.Get(ctx, "k"); err != nil || string(v) != "v1" {
		t.Fatalf("after 60s other location = %q, %v", v, err)
	}
	_ = here.Put(ctx, "k", []byte("v2"), 0)
	if v, _ := there.Get(ctx, "k"); string(v) != "v1" {
		t.Fatalf("other location sees %q right after overwrite, want the old v1", v)
	}
}

func TestFaulty(t *testing.T) {
	ctx := context.Background()
	f := NewFaulty(kv.NewMem(nil))
	f.FailNext("put", 1)
	if err := f.Put(ctx, "k", []byte("v"), 0); !errors.Is(err, ErrInjected) {
		t.Fatalf("Put = %v, want injected failure", err)
	}
	if err := f.Put(ctx, "k", []byte("v"), 0); err != nil {
		t.Fatalf("second Put = %v", err)
	}
	f.FailAll(true)
	if _, err := f.Get(ctx, "k"); !errors.Is(err, ErrInjected) {
		t.Fatalf("Get with FailAll = %v", err)
	}
}
