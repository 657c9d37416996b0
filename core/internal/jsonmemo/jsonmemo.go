// Package jsonmemo keeps what recent JSON records decoded to, by their
// exact bytes, so that a record that request after request reads alike (a
// shop's merchant record, a cashier's binding, a check's record, written
// once) is decoded once per process instead of once per read.
//
// On the Worker, encoding/json's reflection was the largest single cost of
// the routes' own Go (a fifth of «Мої чеки»'s, five check records and an
// operator, in a profile in workerd); a long-lived instance reads the same
// records again and again. An answer from the memo is what json.Unmarshal
// of the same bytes into a zero T gives, copied (Clone) where a T holds
// memory a caller could change, so that no request sees another's changes.
package jsonmemo

import (
	"encoding/json"
	"sync"
)

// Size bounds the records a Memo keeps; a full memo starts again empty.
const Size = 128

// Memo decodes JSON into T, remembering the last Size distinct inputs. A
// nil *Memo decodes every time. It is safe for concurrent use.
type Memo[T any] struct {
	// Clone copies what a T shares with another (slices, pointers); nil
	// when a T shares nothing that may be changed (strings and times do
	// not count: they cannot be changed in place).
	Clone func(T) T

	mu sync.Mutex
	m  map[string]T
}

// Decode is json.Unmarshal of b into a zero T. A failure is not remembered.
func (m *Memo[T]) Decode(b []byte) (T, error) {
	var v T
	if m == nil {
		err := json.Unmarshal(b, &v)
		return v, err
	}
	m.mu.Lock()
	hit, ok := m.m[string(b)]
	m.mu.Unlock()
	if ok {
		return m.clone(hit), nil
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return v, err
	}
	kept := m.clone(v)
	m.mu.Lock()
	if m.m == nil || len(m.m) >= Size {
		m.m = make(map[string]T, Size)
	}
	m.m[string(b)] = kept
	m.mu.Unlock()
	return v, nil
}

func (m *Memo[T]) clone(v T) T {
	if m.Clone == nil {
		return v
	}
	return m.Clone(v)
}
