//go:build js && wasm

package cfkv

import (
	"context"
	"fmt"

	"github.com/paylastic/edge/core/kv"
	"github.com/paylastic/edge/worker/jshost"
)

// Delete removes key; a missing key is no error, as on Workers KV.
func (s *Store) Delete(_ context.Context, key string) error {
	if err := kv.CheckKey(key); err != nil {
		return err
	}
	if _, err := s.call(jshost.OpKVDelete, key, nil); err != nil {
		return fmt.Errorf("kv delete %.40q: %w", key, err)
	}
	return nil
}
