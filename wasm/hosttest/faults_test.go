package hosttest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/paylastic/edge/core/cas/sqlcas"
	"github.com/paylastic/edge/core/kv"
)

// TestSQLFaults: with the rate at 1 every statement fails with
// ErrInjected and writes nothing; at 0, or under WithoutFaults, all run, on
// the one in-memory database.
func TestSQLFaults(t *testing.T) {
	ctx := context.Background()
	f := NewFaults(1)
	db, err := openSQL(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	store := sqlcas.New(db, time.Now)
	f.Set(1, 0)
	if _, err := store.Put(ctx, "k", []byte("v"), 0, time.Time{}); !errors.Is(err, ErrInjected) {
		t.Fatalf("Put with rate 1 = %v, want ErrInjected", err)
	}
	if _, err := store.Get(WithoutFaults(ctx), "k"); err == nil {
		t.Fatal("the failed Put wrote")
	}
	if _, err := store.Put(WithoutFaults(ctx), "k", []byte("v"), 0, time.Time{}); err != nil {
		t.Fatalf("Put WithoutFaults = %v", err)
	}
	f.Set(0, 0)
	if r, err := store.Get(ctx, "k"); err != nil || string(r.Value) != "v" {
		t.Fatalf("Get with rate 0 = %+v, %v", r, err)
	}
	if f.Injected() != 1 || f.Ops() != 2 {
		t.Errorf("injected %d of %d, want 1 of 2", f.Injected(), f.Ops())
	}
}

// TestKVFaults: a share of KV operations fails, near the rate; puts are
// counted by key prefix, failed ones included.
func TestKVFaults(t *testing.T) {
	ctx := context.Background()
	f := NewFaults(2)
	s := kvWith(kv.NewMem(nil), f)
	f.Set(0.1, 0)
	failed := 0
	for i := range 1000 {
		if err := s.Put(ctx, "i:"+string(rune('a'+i%26)), []byte("v"), time.Hour); errors.Is(err, ErrInjected) {
			failed++
		}
	}
	if failed < 60 || failed > 140 {
		t.Errorf("%d of 1000 puts failed at rate 0.1", failed)
	}
	if f.Puts("i") != 1000 || f.AllPuts() != 1000 || f.Puts("s") != 0 {
		t.Errorf("puts counted: i %d, all %d, s %d", f.Puts("i"), f.AllPuts(), f.Puts("s"))
	}
}
