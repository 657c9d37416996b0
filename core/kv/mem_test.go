package kv_test

import (
	"sync"
	"testing"
	"time"

	"github.com/paylastic/edge/core/kv"
	"github.com/paylastic/edge/core/kv/kvtest"
)

func TestMemConformance(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	kvtest.Run(t, kvtest.Harness{
		New:     func(t *testing.T) kv.Store { return kv.NewMem(clock) },
		Advance: func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() },
	})
}

func TestCountingConformance(t *testing.T) {
	kvtest.Run(t, kvtest.Harness{New: func(t *testing.T) kv.Store { return &kv.Counting{Store: kv.NewMem(nil)} }})
}
