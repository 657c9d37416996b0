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
	v, err := jshost.Call("kvGet", s.binding(), key)
	if err != nil {
		return nil, fmt.Errorf("kv get %.40q: %w", key, err)
	}
	if len(v) == 0 || v[0].IsNull() || v[0].IsUndefined() {
		return nil, fmt.Errorf("kv get %.40q: %w", key, kv.ErrNotFound)
	}
	return jshost.GoBytes(v[0]), nil
}
