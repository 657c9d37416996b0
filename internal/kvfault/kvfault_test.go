package kvfault_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/paylastic/edge/core/kv"
	"github.com/paylastic/edge/core/kv/kvtest"
	"github.com/paylastic/edge/internal/kvfault"
)

// A store that never fails is the store: it passes the KV conformance suite.
func TestConformance(t *testing.T) {
	kvtest.Run(t, kvtest.Harness{New: func(t *testing.T) kv.Store {
		return kvfault.Store{Store: kv.NewMem(nil), Fail: func(context.Context, string, string) error { return nil }}
	}})
}

func TestFail(t *testing.T) {
	errBoom := errors.New("boom")
	ctx := context.Background()
	for _, op := range []string{kvfault.Get, kvfault.Put, kvfault.Delete, kvfault.List} {
		t.Run(op, func(t *testing.T) {
			mem := kv.NewMem(nil)
			if err := mem.Put(ctx, "k", []byte("before"), 0); err != nil {
				t.Fatal(err)
			}
			var asked []string
			s := kvfault.Store{Store: mem, Fail: func(_ context.Context, got, key string) error {
				asked = append(asked, got+" "+key)
				if got == op {
					return errBoom
				}
				return nil
			}}
			var err error
			switch op {
			case kvfault.Get:
				_, err = s.Get(ctx, "k")
			case kvfault.Put:
				err = s.Put(ctx, "k", []byte("after"), time.Minute)
			case kvfault.Delete:
				err = s.Delete(ctx, "k")
			case kvfault.List:
				_, err = s.List(ctx, "k", "", 0)
			}
			if !errors.Is(err, errBoom) {
				t.Errorf("%s: got error %v, want %v", op, err, errBoom)
			}
			if want := op + " k"; len(asked) != 1 || asked[0] != want {
				t.Errorf("Fail asked %q, want [%q]", asked, want)
			}
			// The failed operation did not reach the store.
			if v, err := mem.Get(ctx, "k"); err != nil || string(v) != "before" {
				t.Errorf("store after a failed %s: %q, %v; want \"before\", nil", op, v, err)
			}
		})
	}
}

func TestSwitch(t *testing.T) {
	errDown := errors.New("down")
	ctx := context.Background()
	tests := []struct {
		reads, writes bool
		fails         map[string]bool
	}{
		{false, false, map[string]bool{}},
		{true, false, map[string]bool{kvfault.Get: true, kvfault.List: true}},
		{false, true, map[string]bool{kvfault.Put: true, kvfault.Delete: true}},
		{true, true, map[string]bool{kvfault.Get: true, kvfault.List: true, kvfault.Put: true, kvfault.Delete: true}},
	}
	for _, tt := range tests {
		sw := &kvfault.Switch{Err: errDown}
		sw.Reads.Store(tt.reads)
		sw.Writes.Store(tt.writes)
		for _, op := range []string{kvfault.Get, kvfault.Put, kvfault.Delete, kvfault.List} {
			if err := sw.Fail(ctx, op, "k"); errors.Is(err, errDown) != tt.fails[op] {
				t.Errorf("reads %v writes %v: %s fails with %v, want failing %v", tt.reads, tt.writes, op, err, tt.fails[op])
			}
		}
	}
}
