// Package kvtest is the conformance suite every kv.Store must pass: the
// in-memory fake, the harness's file store and the Worker's Workers KV adapter.
package kvtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/paylastic/edge/core/kv"
)

// Harness describes the store under test.
type Harness struct {
	// New returns an empty store. Keys of different calls must not collide.
	New func(t *testing.T) kv.Store
	// Advance moves the store's clock forward; nil when the store runs on
	// real time (then expiry is checked through List's Expiration only).
	Advance func(d time.Duration)
}

// Run runs the suite. Every subtest uses its own key prefix, so a shared
// store (Workers KV under wrangler dev) works too.
func Run(t *testing.T, h Harness) {
	ctx := context.Background()
	run := func(name string, f func(t *testing.T, s kv.Store, p string)) {
		t.Run(name, func(t *testing.T) {
			p := fmt.Sprintf("kvtest/%s/%d/", name, time.Now().UnixNano())
			f(t, h.New(t), p)
		})
	}

	run("GetMissing", func(t *testing.T, s kv.Store, p string) {
		if v, err := s.Get(ctx, p+"nope"); !errors.Is(err, kv.ErrNotFound) {
			t.Fatalf("Get missing = %q, %v; want ErrNotFound", v, err)
		}
	})
	run("PutGet", func(t *testing.T, s kv.Store, p string) {
		for _, v := range [][]byte{[]byte("hello"), {}, []byte("<null>"), []byte("null"), {0, 0xff, 0x80}, bytes.Repeat([]byte("x"), 100_000)} {
			if err := s.Put(ctx, p+"k", v, 0); err != nil {
				t.Fatalf("Put: %v", err)
			}
			got, err := s.Get(ctx, p+"k")
			if err != nil || !bytes.Equal(got, v) {
				t.Fatalf("Get after Put(%.20q) = %.20q, %v", v, got, err)
			}
		}
	})
	run("Overwrite", func(t *testing.T, s kv.Store, p string) {
		mustPut(t, s, p+"k", "one", 0)
		mustPut(t, s, p+"k", "two", 0)
		if got, err := s.Get(ctx, p+"k"); err != nil || string(got) != "two" {
			t.Fatalf("Get = %q, %v; want two", got, err)
		}
	})
	run("UnicodeKey", func(t *testing.T, s kv.Store, p string) {
		k := p + "кавʼярня/ранок ☕"
		mustPut(t, s, k, "v", 0)
		if got, err := s.Get(ctx, k); err != nil || string(got) != "v" {
			t.Fatalf("Get = %q, %v", got, err)
		}
	})
	run("Delete", func(t *testing.T, s kv.Store, p string) {
		mustPut(t, s, p+"k", "v", 0)
		if err := s.Delete(ctx, p+"k"); err != nil {
			t.Fatalf("Delete: %v", err)
		}
		if _, err := s.Get(ctx, p+"k"); !errors.Is(err, kv.ErrNotFound) {
			t.Fatalf("Get after Delete: %v; want ErrNotFound", err)
		}
		if err := s.Delete(ctx, p+"never"); err != nil {
			t.Fatalf("Delete missing: %v; want nil", err)
		}
	})
	run("InvalidKeys", func(t *testing.T, s kv.Store, p string) {
		long := p + strings.Repeat("k", kv.MaxKeyBytes)
		for _, k := range []string{"", ".", "..", long} {
			if err := s.Put(ctx, k, []byte("v"), 0); !errors.Is(err, kv.ErrInvalidKey) {
				t.Errorf("Put(%.20q) = %v; want ErrInvalidKey", k, err)
			}
			if _, err := s.Get(ctx, k); !errors.Is(err, kv.ErrInvalidKey) {
				t.Errorf("Get(%.20q) = %v; want ErrInvalidKey", k, err)
			}
		}
		edge := p + strings.Repeat("k", kv.MaxKeyBytes-len(p))
		if err := s.Put(ctx, edge, []byte("v"), 0); err != nil {
			t.Errorf("Put of a %d-byte key: %v", len(edge), err)
		}
	})
	run("TTL", func(t *testing.T, s kv.Store, p string) {
		if err := s.Put(ctx, p+"short", []byte("v"), 30*time.Second); !errors.Is(err, kv.ErrInvalidTTL) {
			t.Fatalf("Put with 30s TTL = %v; want ErrInvalidTTL", err)
		}
		before := time.Now()
		mustPut(t, s, p+"ttl", "v", 2*time.Minute)
		mustPut(t, s, p+"forever", "v", 0)
		page, err := s.List(ctx, p, "", 0)
		if err != nil || len(page.Keys) != 2 {
			t.Fatalf("List = %+v, %v", page, err)
		}
		for _, k := range page.Keys {
			switch k.Name {
			case p + "forever":
				if !k.Expiration.IsZero() {
					t.Errorf("forever key has expiration %v", k.Expiration)
				}
			case p + "ttl":
				if h.Advance == nil { // real clock: expiration about two minutes from now
					if d := k.Expiration.Sub(before); d < time.Minute || d > 3*time.Minute {
						t.Errorf("expiration %v is %v after the write; want about 2m", k.Expiration, d)
					}
				} else if k.Expiration.IsZero() {
					t.Errorf("ttl key has no expiration")
				}
			}
		}
		if h.Advance == nil {
			return
		}
		h.Advance(time.Minute)
		if _, err := s.Get(ctx, p+"ttl"); err != nil {
			t.Fatalf("Get before expiry: %v", err)
		}
		h.Advance(61 * time.Second)
		if _, err := s.Get(ctx, p+"ttl"); !errors.Is(err, kv.ErrNotFound) {
			t.Fatalf("Get after expiry: %v; want ErrNotFound", err)
		}
		page, err = s.List(ctx, p, "", 0)
		if err != nil || len(page.Keys) != 1 || page.Keys[0].Name != p+"forever" {
			t.Fatalf("List after expiry = %+v, %v; want only forever", page, err)
		}
	})
	run("ListPrefixAndOrder", func(t *testing.T, s kv.Store, p string) {
		for _, k := range []string{"b", "a", "c/1", "c/0", "ab"} {
			mustPut(t, s, p+k, k, 0)
		}
		mustPut(t, s, p[:len(p)-1]+"X", "outside", 0) // shares all but the last byte
		got := listAll(t, s, p, 0)
		want := []string{p + "a", p + "ab", p + "b", p + "c/0", p + "c/1"}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Fatalf("List = %v, want %v", got, want)
		}
		if got := listAll(t, s, p+"c/", 0); len(got) != 2 {
			t.Fatalf("List c/ = %v", got)
		}
	})
	run("ListPaging", func(t *testing.T, s kv.Store, p string) {
		const n = 25
		for i := 0; i < n; i++ {
			mustPut(t, s, fmt.Sprintf("%s%03d", p, i), "v", 0)
		}
		got := listAll(t, s, p, 7)
		if len(got) != n {
			t.Fatalf("paged List returned %d keys, want %d: %v", len(got), n, got)
		}
		for i, k := range got {
			if want := fmt.Sprintf("%s%03d", p, i); k != want {
				t.Fatalf("key %d = %s, want %s", i, k, want)
			}
		}
	})
	// kv.GetMany and kv.ListMany: a store that is a kv.ManyReader does them
	// itself, and must answer as the per-key fallback does.
	run("GetMany", func(t *testing.T, s kv.Store, p string) {
		mustPut(t, s, p+"a", "one", 0)
		mustPut(t, s, p+"empty", "", 0)
		mustPut(t, s, p+"ключ", "два", 0)
		keys := []string{p + "a", p + "missing", p + "empty", p + "ключ", p + "a"}
		got, err := kv.GetMany(ctx, s, keys)
		if err != nil || len(got) != len(keys) {
			t.Fatalf("GetMany = %q, %v", got, err)
		}
		want := []string{"one", "", "", "два", "one"}
		for i, k := range keys {
			if string(got[i]) != want[i] || (got[i] == nil) != (k == p+"missing") {
				t.Errorf("GetMany %s = %q (nil %v), want %q", k, got[i], got[i] == nil, want[i])
			}
		}
		if got, err := kv.GetMany(ctx, s, nil); err != nil || len(got) != 0 {
			t.Errorf("GetMany(nil) = %q, %v", got, err)
		}
		if _, err := kv.GetMany(ctx, s, []string{p + "a", ""}); !errors.Is(err, kv.ErrInvalidKey) {
			t.Errorf("GetMany with an empty key: %v, want ErrInvalidKey", err)
		}
	})
	run("ListMany", func(t *testing.T, s kv.Store, p string) {
		for _, k := range []string{"x/2", "x/1", "y/1", "x/10"} {
			mustPut(t, s, p+k, "v", 0)
		}
		got, err := kv.ListMany(ctx, s, []string{p + "x/", p + "none/", p + "y/"})
		if err != nil || len(got) != 3 {
			t.Fatalf("ListMany = %q, %v", got, err)
		}
		want := [][]string{{p + "x/1", p + "x/10", p + "x/2"}, nil, {p + "y/1"}}
		for i := range want {
			if !slices.Equal(got[i], want[i]) {
				t.Errorf("ListMany prefix %d = %q, want %q", i, got[i], want[i])
			}
		}
		if got, err := kv.ListMany(ctx, s, nil); err != nil || len(got) != 0 {
			t.Errorf("ListMany(nil) = %q, %v", got, err)
		}
	})
	run("ListLimits", func(t *testing.T, s kv.Store, p string) {
		if _, err := s.List(ctx, p, "", kv.MaxListLimit+1); err == nil {
			t.Fatalf("List with limit %d succeeded; want an error", kv.MaxListLimit+1)
		}
		page, err := s.List(ctx, p+"empty/", "", 0)
		if err != nil || len(page.Keys) != 0 || !page.Complete {
			t.Fatalf("List of empty prefix = %+v, %v", page, err)
		}
	})
}

func mustPut(t *testing.T, s kv.Store, k, v string, ttl time.Duration) {
	t.Helper()
	if err := s.Put(context.Background(), k, []byte(v), ttl); err != nil {
		t.Fatalf("Put(%q): %v", k, err)
	}
}

func listAll(t *testing.T, s kv.Store, prefix string, limit int) []string {
	t.Helper()
	var names []string
	cursor := ""
	for i := 0; ; i++ {
		if i > 1000 {
			t.Fatal("List does not complete")
		}
		page, err := s.List(context.Background(), prefix, cursor, limit)
		if err != nil {
			t.Fatalf("List(%q): %v", prefix, err)
		}
		if limit > 0 && len(page.Keys) > limit {
			t.Fatalf("List returned %d keys over limit %d", len(page.Keys), limit)
		}
		for _, k := range page.Keys {
			names = append(names, k.Name)
		}
		if page.Complete {
			return names
		}
		cursor = page.Cursor
	}
}
