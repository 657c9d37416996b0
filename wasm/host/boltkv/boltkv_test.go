package boltkv

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/paylastic/edge/core/kv"
	"github.com/paylastic/edge/core/kv/kvtest"
)

func TestConformance(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	kvtest.Run(t, kvtest.Harness{
		New: func(t *testing.T) kv.Store {
			s, err := Open(filepath.Join(t.TempDir(), "kv.db"), clock)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			return s
		},
		Advance: func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() },
	})
}

// TestDurable: what was written survives closing and reopening the file
// (the harness restarting), and Purge drops only expired keys.
func TestDurable(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "kv.db")
	now := time.Now()
	s, err := Open(path, func() time.Time { return now })
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Put(ctx, "m:1", []byte("Кавʼярня"), 0); err != nil {
		t.Fatal(err)
	}
	if err := s.Put(ctx, "tmp", []byte("x"), time.Minute); err != nil {
		t.Fatal(err)
	}
	s.Close()
	now = now.Add(2 * time.Minute)
	s, err = Open(path, func() time.Time { return now })
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if v, err := s.Get(ctx, "m:1"); err != nil || string(v) != "Кавʼярня" {
		t.Fatalf("after reopen Get = %q, %v", v, err)
	}
	if n, err := s.Purge(); err != nil || n != 1 {
		t.Fatalf("Purge = %d, %v; want 1", n, err)
	}
}
