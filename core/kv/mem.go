package kv

import (
	"context"
	"sort"
	"strings"
	"sync"
	"time"
)

// Mem is an in-memory Store for tests and for the harness's memory mode. It is
// strongly consistent; wrap it to simulate propagation delay.
type Mem struct {
	mu   sync.Mutex
	now  func() time.Time
	data map[string]memEntry
}

type memEntry struct {
	value   []byte
	expires time.Time
}

var _ Store = (*Mem)(nil)

// NewMem returns an empty store whose expirations follow now (time.Now if nil).
func NewMem(now func() time.Time) *Mem {
	if now == nil {
		now = time.Now
	}
	return &Mem{now: now, data: map[string]memEntry{}}
}

func (m *Mem) live(e memEntry) bool { return e.expires.IsZero() || m.now().Before(e.expires) }

func (m *Mem) Get(_ context.Context, key string) ([]byte, error) {
	if err := CheckKey(key); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.data[key]
	if !ok || !m.live(e) {
		return nil, ErrNotFound
	}
	return append([]byte(nil), e.value...), nil
}

func (m *Mem) Put(_ context.Context, key string, value []byte, ttl time.Duration) error {
	if err := CheckKey(key); err != nil {
		return err
	}
	if err := CheckTTL(ttl); err != nil {
		return err
	}
	e := memEntry{value: append([]byte(nil), value...)}
	if ttl > 0 {
		e.expires = m.now().Add(ttl)
	}
	m.mu.Lock()
	m.data[key] = e
	m.mu.Unlock()
	return nil
}

func (m *Mem) Delete(_ context.Context, key string) error {
	if err := CheckKey(key); err != nil {
		return err
	}
	m.mu.Lock()
	delete(m.data, key)
	m.mu.Unlock()
	return nil
}

func (m *Mem) List(_ context.Context, prefix, cursor string, limit int) (Page, error) {
	limit, err := CheckLimit(limit)
	if err != nil {
		return Page{}, err
	}
	m.mu.Lock()
	var names []string
	for k, e := range m.data {
		if strings.HasPrefix(k, prefix) && k > cursor && m.live(e) {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	var p Page
	for _, k := range names {
		if len(p.Keys) == limit {
			p.Cursor = p.Keys[len(p.Keys)-1].Name
			m.mu.Unlock()
			return p, nil
		}
		p.Keys = append(p.Keys, Key{Name: k, Expiration: m.data[k].expires})
	}
	m.mu.Unlock()
	p.Complete = true
	return p, nil
}
