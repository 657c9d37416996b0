package host

import (
	"context"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/paylastic/edge/core/kv"
)

// Lagged simulates Workers KV's propagation delay: Workers KV is eventually
// consistent, so a write is usually visible at once in the location that made
// it while other locations may see it up to 60 s later (and may keep answering
// "not found" meanwhile); see https://developers.cloudflare.com/kv/concepts/how-kv-works/.
// Here a write is visible at once in its own location and delay later
// everywhere else. Locations are names; At returns the store one location sees.
type Lagged struct {
	mu    sync.Mutex
	now   func() time.Time
	delay time.Duration
	hist  map[string][]version
}

type version struct {
	value   []byte // nil: deleted
	at      time.Time
	loc     string
	expires time.Time
}

// NewLagged returns an empty store whose writes reach other locations delay
// after they are made, by the clock now.
func NewLagged(now func() time.Time, delay time.Duration) *Lagged {
	if now == nil {
		now = time.Now
	}
	return &Lagged{now: now, delay: delay, hist: map[string][]version{}}
}

// At returns the view of location loc.
func (l *Lagged) At(loc string) kv.Store { return &laggedView{l: l, loc: loc} }

type laggedView struct {
	l   *Lagged
	loc string
}

var _ kv.Store = (*laggedView)(nil)

// visible returns the version of key that loc sees now, if any.
func (l *Lagged) visible(key, loc string, now time.Time) (version, bool) {
	vs := l.hist[key]
	for i := len(vs) - 1; i >= 0; i-- {
		v := vs[i]
		if v.loc == loc || !v.at.After(now.Add(-l.delay)) {
			if v.value == nil || (!v.expires.IsZero() && !now.Before(v.expires)) {
				return version{}, false
			}
			return v, true
		}
	}
	return version{}, false
}

func (v *laggedView) Get(_ context.Context, key string) ([]byte, error) {
	if err := kv.CheckKey(key); err != nil {
		return nil, err
	}
	v.l.mu.Lock()
	defer v.l.mu.Unlock()
	ver, ok := v.l.visible(key, v.loc, v.l.now())
	if !ok {
		return nil, kv.ErrNotFound
	}
	return append([]byte{}, ver.value...), nil
}

func (v *laggedView) write(key string, value []byte, ttl time.Duration) {
	v.l.mu.Lock()
	defer v.l.mu.Unlock()
	now := v.l.now()
	ver := version{value: value, at: now, loc: v.loc}
	if ttl > 0 {
		ver.expires = now.Add(ttl)
	}
	// keep only versions someone may still see: from the newest one that
	// every location sees on
	vs := append(v.l.hist[key], ver)
	for i := len(vs) - 1; i > 0; i-- {
		if !vs[i].at.After(now.Add(-v.l.delay)) {
			vs = vs[i:]
			break
		}
	}
	v.l.hist[key] = vs
}

func (v *laggedView) Put(_ context.Context, key string, value []byte, ttl time.Duration) error {
	if err := kv.CheckKey(key); err != nil {
		return err
	}
	if err := kv.CheckTTL(ttl); err != nil {
		return err
	}
	v.write(key, append([]byte{}, value...), ttl)
	return nil
}

func (v *laggedView) Delete(_ context.Context, key string) error {
	if err := kv.CheckKey(key); err != nil {
		return err
	}
	v.write(key, nil, 0)
	return nil
}

func (v *laggedView) List(_ context.Context, prefix, cursor string, limit int) (kv.Page, error) {
	limit, err := kv.CheckLimit(limit)
	if err != nil {
		return kv.Page{}, err
	}
	v.l.mu.Lock()
	defer v.l.mu.Unlock()
	now := v.l.now()
	var keys []kv.Key
	for k := range v.l.hist {
		if !strings.HasPrefix(k, prefix) || k <= cursor {
			continue
		}
		if ver, ok := v.l.visible(k, v.loc, now); ok {
			keys = append(keys, kv.Key{Name: k, Expiration: ver.expires})
		}
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i].Name < keys[j].Name })
	if len(keys) > limit {
		return kv.Page{Keys: keys[:limit], Cursor: keys[limit-1].Name}, nil
	}
	return kv.Page{Keys: keys, Complete: true}, nil
}
