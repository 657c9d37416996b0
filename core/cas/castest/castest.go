// Package castest is the conformance suite every cas.Store must pass: the
// in-memory fake, package sqlcas on the harness's SQLite, the guest's store
// over the host ABI and the Worker's D1 store inside workerd.
package castest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paylastic/edge/core/cas"
)

// Start is where every subtest's clock begins.
var Start = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

// NewStore returns the store under test, reading the time from now (the
// suite's clock, which it moves forward). Stores of different calls may
// share their records: every subtest uses its own keys.
type NewStore func(t *testing.T, now func() time.Time) cas.Store

// Clock is the suite's settable clock.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *Clock) Now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *Clock) Advance(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

// Run runs the suite.
func Run(t *testing.T, newStore NewStore) {
	ctx := context.Background()
	run := func(name string, f func(t *testing.T, s cas.Store, c *Clock, p string)) {
		t.Run(name, func(t *testing.T) {
			c := &Clock{now: Start}
			p := fmt.Sprintf("castest/%s/%d/", name, time.Now().UnixNano())
			f(t, newStore(t, c.Now), c, p)
		})
	}

	run("GetMissing", func(t *testing.T, s cas.Store, c *Clock, p string) {
		if r, err := s.Get(ctx, p+"nope"); !errors.Is(err, cas.ErrNotFound) {
			t.Fatalf("Get missing = %+v, %v; want ErrNotFound", r, err)
		}
	})
	run("InsertGet", func(t *testing.T, s cas.Store, c *Clock, p string) {
		values := [][]byte{[]byte("hello"), {}, {0, 0xff, 0x80, 0}, []byte("<null>"), []byte("null"), []byte("кавʼярня ☕"),
			bytes.Repeat([]byte("x"), 100_000), bytes.Repeat([]byte{0xfe}, cas.MaxValueBytes)}
		for i, v := range values {
			k := fmt.Sprintf("%s%d", p, i)
			ver := mustPut(t, s, k, v, 0, time.Time{})
			if ver < c.Now().UnixMilli() {
				t.Errorf("first version %d is below the clock's %d ms", ver, c.Now().UnixMilli())
			}
			got, err := s.Get(ctx, k)
			if err != nil || !bytes.Equal(got.Value, v) || got.Version != ver || !got.Expires.IsZero() {
				t.Fatalf("Get after Put(%.20q) = %.20q v%d exp %v, %v; want v%d, no expiry", v, got.Value, got.Version, got.Expires, err, ver)
			}
		}
	})
	run("UnicodeAndLongKeys", func(t *testing.T, s cas.Store, c *Clock, p string) {
		for _, k := range []string{p + "кавʼярня/ранок ☕", p + "a'b\"c;--", p + strings.Repeat("k", cas.MaxKeyBytes-len(p))} {
			ver := mustPut(t, s, k, []byte("v"), 0, time.Time{})
			if got, err := s.Get(ctx, k); err != nil || got.Version != ver || string(got.Value) != "v" {
				t.Fatalf("Get(%.40q) = %+v, %v", k, got, err)
			}
		}
	})
	run("UpdateAtVersion", func(t *testing.T, s cas.Store, c *Clock, p string) {
		k := p + "k"
		v1 := mustPut(t, s, k, []byte("one"), 0, time.Time{})
		v2 := mustPut(t, s, k, []byte("two"), v1, time.Time{})
		if v2 <= v1 {
			t.Fatalf("version after update = %d, want more than %d", v2, v1)
		}
		if _, err := s.Put(ctx, k, []byte("stale"), v1, time.Time{}); !errors.Is(err, cas.ErrConflict) {
			t.Fatalf("Put at the replaced version %d = %v; want ErrConflict", v1, err)
		}
		if _, err := s.Put(ctx, k, []byte("future"), v2+1, time.Time{}); !errors.Is(err, cas.ErrConflict) {
			t.Fatalf("Put at a version never stored = %v; want ErrConflict", err)
		}
		if _, err := s.Put(ctx, k, []byte("again"), 0, time.Time{}); !errors.Is(err, cas.ErrConflict) {
			t.Fatalf("Put at version 0 over a live record = %v; want ErrConflict", err)
		}
		wantRecord(t, s, k, "two", v2, time.Time{})
		v3 := mustPut(t, s, k, []byte("three"), v2, time.Time{})
		wantRecord(t, s, k, "three", v3, time.Time{})
	})
	run("PutMissingAtVersion", func(t *testing.T, s cas.Store, c *Clock, p string) {
		if _, err := s.Put(ctx, p+"k", []byte("v"), 1, time.Time{}); !errors.Is(err, cas.ErrConflict) {
			t.Fatalf("Put at version 1 of a missing key = %v; want ErrConflict", err)
		}
		if _, err := s.Get(ctx, p+"k"); !errors.Is(err, cas.ErrNotFound) {
			t.Fatalf("Get after a refused Put = %v; want ErrNotFound", err)
		}
	})
	run("Expiry", func(t *testing.T, s cas.Store, c *Clock, p string) {
		k := p + "k"
		// sub-millisecond parts are dropped: every store keeps milliseconds
		exp := c.Now().Add(time.Minute + 700*time.Microsecond)
		wantExp := c.Now().Add(time.Minute)
		v1 := mustPut(t, s, k, []byte("one"), 0, exp)
		wantRecord(t, s, k, "one", v1, wantExp)
		c.Advance(time.Minute - time.Millisecond)
		wantRecord(t, s, k, "one", v1, wantExp)
		c.Advance(time.Millisecond) // now == expiry: gone
		if r, err := s.Get(ctx, k); !errors.Is(err, cas.ErrNotFound) {
			t.Fatalf("Get at expiry = %+v, %v; want ErrNotFound", r, err)
		}
		if m, err := s.GetMany(ctx, []string{k}); err != nil || len(m) != 0 {
			t.Fatalf("GetMany at expiry = %+v, %v; want none", m, err)
		}
		if _, err := s.Put(ctx, k, []byte("late"), v1, c.Now().Add(time.Hour)); !errors.Is(err, cas.ErrConflict) {
			t.Fatalf("Put at the expired record's version = %v; want ErrConflict", err)
		}
		v2 := mustPut(t, s, k, []byte("two"), 0, time.Time{})
		if v2 <= v1 {
			t.Fatalf("version of the record replacing an expired one = %d, want more than %d", v2, v1)
		}
		wantRecord(t, s, k, "two", v2, time.Time{})
	})
	run("ReplaceRightAfterExpiry", func(t *testing.T, s cas.Store, c *Clock, p string) {
		// updates push the version past the clock's milliseconds; the record
		// replacing it must still get a higher one, not the clock's
		k := p + "k"
		exp := c.Now().Add(time.Millisecond)
		v := mustPut(t, s, k, []byte("0"), 0, exp)
		for i := 1; i <= 3; i++ {
			v = mustPut(t, s, k, []byte(fmt.Sprint(i)), v, exp)
		}
		c.Advance(time.Millisecond)
		if next := mustPut(t, s, k, []byte("new"), 0, time.Time{}); next <= v {
			t.Fatalf("version of the replacing record = %d, want more than the expired %d", next, v)
		}
		if _, err := s.Put(ctx, k, []byte("stale"), v, time.Time{}); !errors.Is(err, cas.ErrConflict) {
			t.Fatalf("Put at the expired record's version = %v; want ErrConflict", err)
		}
	})
	run("UpdateChangesExpiry", func(t *testing.T, s cas.Store, c *Clock, p string) {
		k := p + "k"
		v1 := mustPut(t, s, k, []byte("one"), 0, c.Now().Add(time.Minute))
		v2 := mustPut(t, s, k, []byte("two"), v1, time.Time{}) // now forever
		c.Advance(time.Hour)
		wantRecord(t, s, k, "two", v2, time.Time{})
		exp := c.Now().Add(time.Second)
		v3 := mustPut(t, s, k, []byte("three"), v2, exp)
		wantRecord(t, s, k, "three", v3, exp)
		c.Advance(time.Second)
		if _, err := s.Get(ctx, k); !errors.Is(err, cas.ErrNotFound) {
			t.Fatalf("Get after the new expiry = %v; want ErrNotFound", err)
		}
	})
	run("GetMany", func(t *testing.T, s cas.Store, c *Clock, p string) {
		va := mustPut(t, s, p+"a", []byte("A"), 0, time.Time{})
		vb := mustPut(t, s, p+"b", []byte{}, 0, c.Now().Add(time.Hour))
		mustPut(t, s, p+"gone", []byte("G"), 0, c.Now().Add(time.Minute))
		c.Advance(time.Minute)
		m, err := s.GetMany(ctx, []string{p + "a", p + "missing", p + "b", p + "gone", p + "a"})
		if err != nil {
			t.Fatalf("GetMany: %v", err)
		}
		if len(m) != 2 || string(m[p+"a"].Value) != "A" || m[p+"a"].Version != va || len(m[p+"b"].Value) != 0 || m[p+"b"].Version != vb ||
			!m[p+"b"].Expires.Equal(Start.Add(time.Hour)) {
			t.Fatalf("GetMany = %+v; want a (v%d) and b (v%d, empty, expiring at %v)", m, va, vb, Start.Add(time.Hour))
		}
		if m, err := s.GetMany(ctx, nil); err != nil || len(m) != 0 {
			t.Fatalf("GetMany(nil) = %+v, %v; want an empty map", m, err)
		}
		keys := make([]string, cas.MaxGetMany)
		for i := range keys {
			keys[i] = fmt.Sprintf("%sk%03d", p, i)
		}
		for _, i := range []int{0, 57, cas.MaxGetMany - 1} {
			mustPut(t, s, keys[i], []byte(keys[i]), 0, time.Time{})
		}
		m, err = s.GetMany(ctx, keys)
		if err != nil || len(m) != 3 || string(m[keys[57]].Value) != keys[57] {
			t.Fatalf("GetMany of %d keys = %d records, %v; want 3", len(keys), len(m), err)
		}
		if _, err := s.GetMany(ctx, append(keys, p+"one-too-many")); !errors.Is(err, cas.ErrInvalid) {
			t.Fatalf("GetMany of %d keys = %v; want ErrInvalid", len(keys)+1, err)
		}
	})
	run("List", func(t *testing.T, s cas.Store, c *Clock, p string) {
		for _, k := range []string{"b", "a", "c/2", "c/1", "c/10", "d"} {
			mustPut(t, s, p+"l:"+k, []byte(k), 0, time.Time{})
		}
		mustPut(t, s, p+"l:c/3", []byte("gone"), 0, c.Now().Add(time.Minute))
		mustPut(t, s, p+"l;", []byte("past the prefix"), 0, time.Time{})
		mustPut(t, s, p+"l", []byte("the prefix less its colon"), 0, time.Time{})
		c.Advance(time.Minute)
		keys := func(items []cas.Item) string {
			var out []string
			for _, it := range items {
				out = append(out, strings.TrimPrefix(it.Key, p+"l:")+"="+string(it.Value))
			}
			return strings.Join(out, ",")
		}
		tests := []struct {
			prefix, after string
			limit         int
			want          string
		}{
			{p + "l:", "", 100, "a=a,b=b,c/1=c/1,c/10=c/10,c/2=c/2,d=d"},
			{p + "l:", "", 2, "a=a,b=b"},
			{p + "l:", p + "l:b", 2, "c/1=c/1,c/10=c/10"},
			{p + "l:c/", "", 100, "c/1=c/1,c/10=c/10,c/2=c/2"}, // c/3 expired
			{p + "l:c/", p + "l:c/2", 100, ""},
			{p + "l:x", "", 100, ""},
		}
		for _, tt := range tests {
			items, err := s.List(ctx, tt.prefix, tt.after, tt.limit)
			if err != nil {
				t.Fatalf("List(%q, %q, %d): %v", tt.prefix, tt.after, tt.limit, err)
			}
			if got := keys(items); got != tt.want {
				t.Errorf("List(%q, %q, %d) = %s; want %s", strings.TrimPrefix(tt.prefix, p), strings.TrimPrefix(tt.after, p), tt.limit, got, tt.want)
			}
		}
		items, _ := s.List(ctx, p+"l:a", "", 1)
		if len(items) != 1 || items[0].Version == 0 || !items[0].Expires.IsZero() {
			t.Errorf("List's record = %+v; want its version and no expiry", items)
		}
		for _, bad := range []struct {
			prefix string
			limit  int
		}{{"", 10}, {p, 0}, {p, cas.MaxList + 1}, {p + "ж", 10}} {
			if _, err := s.List(ctx, bad.prefix, "", bad.limit); !errors.Is(err, cas.ErrInvalid) {
				t.Errorf("List(%q, limit %d) = %v; want ErrInvalid", bad.prefix, bad.limit, err)
			}
		}
	})
	run("Invalid", func(t *testing.T, s cas.Store, c *Clock, p string) {
		long := p + strings.Repeat("k", cas.MaxKeyBytes)
		for _, k := range []string{"", long} {
			if _, err := s.Get(ctx, k); !errors.Is(err, cas.ErrInvalid) {
				t.Errorf("Get(%.20q) = %v; want ErrInvalid", k, err)
			}
			if _, err := s.GetMany(ctx, []string{p + "ok", k}); !errors.Is(err, cas.ErrInvalid) {
				t.Errorf("GetMany(%.20q) = %v; want ErrInvalid", k, err)
			}
			if _, err := s.Put(ctx, k, []byte("v"), 0, time.Time{}); !errors.Is(err, cas.ErrInvalid) {
				t.Errorf("Put(%.20q) = %v; want ErrInvalid", k, err)
			}
		}
		tests := []struct {
			name    string
			value   []byte
			version int64
			expires time.Time
		}{
			{"value too long", make([]byte, cas.MaxValueBytes+1), 0, time.Time{}},
			{"negative version", []byte("v"), -1, time.Time{}},
			{"expiry now", []byte("v"), 0, c.Now()},
			{"expiry within the millisecond", []byte("v"), 0, c.Now().Add(999 * time.Microsecond)},
			{"expiry past", []byte("v"), 0, c.Now().Add(-time.Hour)},
		}
		for _, tt := range tests {
			if _, err := s.Put(ctx, p+"k", tt.value, tt.version, tt.expires); !errors.Is(err, cas.ErrInvalid) {
				t.Errorf("Put with %s = %v; want ErrInvalid", tt.name, err)
			}
		}
		if _, err := s.Get(ctx, p+"k"); !errors.Is(err, cas.ErrNotFound) {
			t.Errorf("Get after refused Puts = %v; want ErrNotFound", err)
		}
	})
	run("Purge", func(t *testing.T, s cas.Store, c *Clock, p string) {
		at := c.Now().Add(time.Hour)
		// A shared store may hold earlier subtests' records: purge what
		// expires by then first, so the count below is this subtest's.
		if _, err := s.Purge(ctx, at); err != nil {
			t.Fatalf("Purge: %v", err)
		}
		vOld := mustPut(t, s, p+"old", []byte("x"), 0, c.Now().Add(time.Minute))
		vOld = mustPut(t, s, p+"old", []byte("y"), vOld, c.Now().Add(time.Minute))
		mustPut(t, s, p+"edge", []byte("x"), 0, at) // expires exactly at the purge time
		vLater := mustPut(t, s, p+"later", []byte("x"), 0, at.Add(time.Millisecond))
		vNever := mustPut(t, s, p+"never", []byte("x"), 0, time.Time{})
		n, err := s.Purge(ctx, at)
		if err != nil || n != 2 {
			t.Fatalf("Purge = %d, %v; want 2 (old and edge)", n, err)
		}
		if n, err := s.Purge(ctx, at); err != nil || n != 0 {
			t.Fatalf("second Purge = %d, %v; want 0", n, err)
		}
		c.Advance(time.Hour)
		wantRecord(t, s, p+"later", "x", vLater, at.Add(time.Millisecond))
		wantRecord(t, s, p+"never", "x", vNever, time.Time{})
		// a version read before the purge never matches the key's next record
		if _, err := s.Put(ctx, p+"old", []byte("z"), vOld, time.Time{}); !errors.Is(err, cas.ErrConflict) {
			t.Fatalf("Put at a purged record's version = %v; want ErrConflict", err)
		}
		if v := mustPut(t, s, p+"old", []byte("z"), 0, time.Time{}); v <= vOld {
			t.Fatalf("version after purge = %d, want more than %d", v, vOld)
		}
	})
	run("RaceOneVersion", func(t *testing.T, s cas.Store, c *Clock, p string) {
		const racers, rounds = 16, 4
		k := p + "k"
		ver := int64(0) // round 0 races to create the record
		for round := range rounds {
			wins, vers := race(t, racers, func(i int) (int64, error) {
				return s.Put(ctx, k, []byte(fmt.Sprintf("r%d-%d", round, i)), ver, time.Time{})
			})
			if len(wins) != 1 {
				t.Fatalf("round %d: %d of %d Puts at version %d won (%v); want exactly 1", round, len(wins), racers, ver, wins)
			}
			wantRecord(t, s, k, fmt.Sprintf("r%d-%d", round, wins[0]), vers[0], time.Time{})
			ver = vers[0]
		}
	})
	run("RaceCounter", func(t *testing.T, s cas.Store, c *Clock, p string) {
		// read-modify-write with retries: no increment may be lost
		const workers, each = 6, 4
		k := p + "n"
		mustPut(t, s, k, []byte("0"), 0, time.Time{})
		var wg sync.WaitGroup
		errs := make(chan error, workers)
		for range workers {
			wg.Go(func() {
				for done := 0; done < each; {
					r, err := s.Get(ctx, k)
					if err != nil {
						errs <- err
						return
					}
					var n int
					fmt.Sscan(string(r.Value), &n)
					_, err = s.Put(ctx, k, []byte(fmt.Sprint(n+1)), r.Version, time.Time{})
					switch {
					case err == nil:
						done++
					case !errors.Is(err, cas.ErrConflict):
						errs <- err
						return
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatalf("counter worker: %v", err)
		}
		r, err := s.Get(ctx, k)
		if err != nil || string(r.Value) != fmt.Sprint(workers*each) {
			t.Fatalf("counter = %q, %v; want %d", r.Value, err, workers*each)
		}
	})
}

// race runs n calls of f at once and returns which succeeded and their
// versions; every failure must be ErrConflict.
func race(t *testing.T, n int, f func(i int) (int64, error)) (wins []int, vers []int64) {
	t.Helper()
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			v, err := f(i)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				wins, vers = append(wins, i), append(vers, v)
			case !errors.Is(err, cas.ErrConflict):
				t.Errorf("racer %d: %v; want success or ErrConflict", i, err)
			}
		})
	}
	close(start)
	wg.Wait()
	return wins, vers
}

func mustPut(t *testing.T, s cas.Store, k string, v []byte, version int64, expires time.Time) int64 {
	t.Helper()
	n, err := s.Put(context.Background(), k, v, version, expires)
	if err != nil {
		t.Fatalf("Put(%.60q, version %d): %v", k, version, err)
	}
	return n
}

func wantRecord(t *testing.T, s cas.Store, k, value string, version int64, expires time.Time) {
	t.Helper()
	r, err := s.Get(context.Background(), k)
	if err != nil || string(r.Value) != value || r.Version != version || !r.Expires.Equal(expires) {
		t.Fatalf("Get(%.60q) = %q v%d exp %v, %v; want %q v%d exp %v", k, r.Value, r.Version, r.Expires, err, value, version, expires)
	}
}
