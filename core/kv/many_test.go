package kv_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/paylastic/edge/core/kv"
	"github.com/paylastic/edge/internal/kvfault"
)

func TestGetMany(t *testing.T) {
	ctx := context.Background()
	m := kv.NewMem(nil)
	var keys []string
	for i := range 40 { // more than MaxInFlight
		k := fmt.Sprintf("k%02d", i)
		keys = append(keys, k)
		if i%3 != 0 {
			if err := m.Put(ctx, k, []byte("v"+k), 0); err != nil {
				t.Fatal(err)
			}
		}
	}
	got, err := kv.GetMany(ctx, m, keys)
	if err != nil {
		t.Fatal(err)
	}
	for i, k := range keys {
		want := "v" + k
		if i%3 == 0 {
			want = ""
		}
		if string(got[i]) != want || (want == "") != (got[i] == nil) {
			t.Errorf("%s = %q, want %q", k, got[i], want)
		}
	}
	broken := errors.New("boom")
	failing := kvfault.Store{Store: m, Fail: func(_ context.Context, op, key string) error {
		if key == "k07" {
			return broken
		}
		return nil
	}}
	if _, err := kv.GetMany(ctx, failing, keys); !errors.Is(err, broken) {
		t.Errorf("a failed read: %v, want it returned", err)
	}
}

func TestListMany(t *testing.T) {
	ctx := context.Background()
	m := kv.NewMem(nil)
	for i := range 1500 { // two pages under a/
		if err := m.Put(ctx, fmt.Sprintf("a/%04d", i), nil, 0); err != nil {
			t.Fatal(err)
		}
	}
	for _, k := range []string{"b/2", "b/1"} {
		if err := m.Put(ctx, k, nil, 0); err != nil {
			t.Fatal(err)
		}
	}
	got, err := kv.ListMany(ctx, m, []string{"b/", "c/", "a/"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got[0], []string{"b/1", "b/2"}) || len(got[1]) != 0 || len(got[2]) != 1500 || got[2][1499] != "a/1499" {
		t.Errorf("lists = %v, %v, %d keys under a/", got[0], got[1], len(got[2]))
	}
}
