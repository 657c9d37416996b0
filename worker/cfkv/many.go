//go:build js && wasm

package cfkv

import (
	"context"
	"fmt"

	"github.com/paylastic/edge/core/kv"
	"github.com/paylastic/edge/worker/jshost"
)

var _ kv.ManyReader = (*Store)(nil)

// GetMany reads keys in one host call (kv.ManyReader): the pool makes the
// gets at once, at most kv.MaxInFlight at a time, and answers them
// together. kv.GetMany's fallback would make a goroutine and a host call
// per key, each a resume of the Go runtime and a stack to grow, for the
// same reads. A missing key is nil.
func (s *Store) GetMany(_ context.Context, keys []string) ([][]byte, error) {
	n := 16
	for _, k := range keys {
		if err := kv.CheckKey(k); err != nil {
			return nil, fmt.Errorf("kv get %.40q: %w", k, err)
		}
		n += 4 + len(k)
	}
	out := make([][]byte, len(keys))
	if len(keys) == 0 {
		return out, nil
	}
	a := jshost.Writer{B: make([]byte, 0, n+len(s.name))}
	a.Text(s.name).Num(kv.MaxInFlight).Num(float64(len(keys)))
	for _, k := range keys {
		a.Text(k)
	}
	b, err := jshost.Call(jshost.OpKVGetMany, a.B)
	if err != nil {
		return nil, fmt.Errorf("kv get many (%d keys): %w", len(keys), err)
	}
	r := jshost.NewReader(b)
	for i := range keys {
		found, v := r.Flag(), r.Bytes()
		if found {
			if v == nil {
				v = []byte{}
			}
			out[i] = v
		}
	}
	if err := r.Err(); err != nil {
		return nil, fmt.Errorf("kv get many (%d keys): %w", len(keys), err)
	}
	return out, nil
}

// ListMany lists every prefix to its last page (at most kv.MaxListPages of
// kv.MaxListLimit keys) in one host call (kv.ManyReader), the prefixes at
// once: the names, in the order of prefixes, each prefix's in byte order.
func (s *Store) ListMany(_ context.Context, prefixes []string) ([][]string, error) {
	out := make([][]string, len(prefixes))
	if len(prefixes) == 0 {
		return out, nil
	}
	n := 32 + len(s.name)
	for _, p := range prefixes {
		n += 4 + len(p)
	}
	a := jshost.Writer{B: make([]byte, 0, n)}
	a.Text(s.name).Num(kv.MaxInFlight).Num(kv.MaxListPages).Num(float64(len(prefixes)))
	for _, p := range prefixes {
		a.Text(p)
	}
	b, err := jshost.Call(jshost.OpKVListMany, a.B)
	if err != nil {
		return nil, fmt.Errorf("kv list many (%d prefixes): %w", len(prefixes), err)
	}
	r := jshost.NewReader(b)
	for i := range prefixes {
		k := int(r.Num())
		if r.Err() != nil || k < 0 || k > kv.MaxListPages*kv.MaxListLimit {
			break
		}
		for range k {
			out[i] = append(out[i], r.Text())
		}
	}
	if err := r.Err(); err != nil {
		return nil, fmt.Errorf("kv list many (%d prefixes): %w", len(prefixes), err)
	}
	return out, nil
}
