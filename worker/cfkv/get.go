//go:build js && wasm

package cfkv

import (
	"context"
	"fmt"

	"github.com/paylastic/edge/core/kv"
	"github.com/paylastic/edge/worker/jshost"
)

// Get reads key as bytes; JavaScript null is kv.ErrNotFound.
func (s *Store) Get(_ context.Context, key string) ([]byte, error) {
	if err := kv.CheckKey(key); err != nil {
		return nil, err
	}
	r, err := s.call(jshost.OpKVGet, key, nil)
	if err != nil {
		return nil, fmt.Errorf("kv get %.40q: %w", key, err)
	}
	found, v := r.Flag(), r.Rest()
	if err := r.Err(); err != nil {
		return nil, fmt.Errorf("kv get %.40q: %w", key, err)
	}
	if !found {
		return nil, fmt.Errorf("kv get %.40q: %w", key, kv.ErrNotFound)
	}
	if v == nil {
		v = []byte{}
	}
	return v, nil
}
