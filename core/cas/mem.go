package cas

import (
	"context"
	"sort"
	"strings"
	"sync"
	"time"
)

// Mem is an in-memory Store for unit tests: one mutex makes every Put a
// compare-and-set, and expiry follows the clock it is given.
type Mem struct {
	mu   sync.Mutex
	now  func() time.Time
	data map[string]memRecord
	puts int // successful writes, for tests that count them
	gets int // reads (Get, GetMany, List), likewise
}

// Len is how many records the store holds, expired ones included (until
// purged): what a test of Purge observes.
func (m *Mem) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.data)
}

// Gets returns how many reads (Get, GetMany, List) were made so far.
func (m *Mem) Gets() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.gets
}

// Puts returns how many writes succeeded so far.
func (m *Mem) Puts() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.puts
}

// memRecord keeps the expiry in milliseconds, as the SQL stores do.
type memRecord struct {
	value   []byte
	version int64
	expires int64 // Unix ms, 0: never
}

var _ Store = (*Mem)(nil)

// NewMem returns an empty store whose expiry follows now (time.Now if nil).
func NewMem(now func() time.Time) *Mem {
	if now == nil {
		now = time.Now
	}
	return &Mem{now: now, data: map[string]memRecord{}}
}

func (r memRecord) liveAt(ms int64) bool { return r.expires == 0 || ms < r.expires }

func (r memRecord) record() Record {
	return Record{Value: append([]byte{}, r.value...), Version: r.version, Expires: FromMillis(r.expires)}
}

func (m *Mem) Get(_ context.Context, key string) (Record, error) {
	if err := CheckKey(key); err != nil {
		return Record{}, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.gets++
	r, ok := m.data[key]
	if !ok || !r.liveAt(m.now().UnixMilli()) {
		return Record{}, ErrNotFound
	}
	return r.record(), nil
}

func (m *Mem) GetMany(_ context.Context, keys []string) (map[string]Record, error) {
	if err := CheckKeys(keys); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.gets++
	now := m.now().UnixMilli()
	out := make(map[string]Record, len(keys))
	for _, k := range keys {
		if r, ok := m.data[k]; ok && r.liveAt(now) {
			out[k] = r.record()
		}
	}
	return out, nil
}

func (m *Mem) Put(_ context.Context, key string, value []byte, version int64, expires time.Time) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	if err := CheckPut(key, value, version, expires, now); err != nil {
		return 0, err
	}
	old, ok := m.data[key]
	live := ok && old.liveAt(now.UnixMilli())
	var next int64
	switch {
	case version == 0 && !live:
		next = FirstVersion(now, old.version) // old.version is 0 when there is none
	case version > 0 && live && old.version == version:
		next = version + 1
	default:
		return 0, ErrConflict
	}
	m.data[key] = memRecord{value: append([]byte{}, value...), version: next, expires: Millis(expires)}
	m.puts++
	return next, nil
}

func (m *Mem) List(_ context.Context, prefix, after string, limit int) ([]Item, error) {
	if _, err := CheckList(prefix, after, limit); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.gets++
	now := m.now().UnixMilli()
	var keys []string
	for k, r := range m.data {
		if strings.HasPrefix(k, prefix) && k > after && r.liveAt(now) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	if len(keys) > limit {
		keys = keys[:limit]
	}
	out := make([]Item, len(keys))
	for i, k := range keys {
		out[i] = Item{Key: k, Record: m.data[k].record()}
	}
	return out, nil
}

func (m *Mem) Purge(_ context.Context, now time.Time) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	ms, n := now.UnixMilli(), 0
	for k, r := range m.data {
		if !r.liveAt(ms) {
			delete(m.data, k)
			n++
		}
	}
	return n, nil
}
