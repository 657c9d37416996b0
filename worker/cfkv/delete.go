//go:build js && wasm

package cfkv

import (
	"context"
	"fmt"

	"github.com/paylastic/edge/core/kv"
)

// Delete removes key; Workers KV does not fail for a missing key
// (https://developers.cloudflare.com/kv/api/delete-key-value-pairs/).
func (s *Store) Delete(_ context.Context, key string) error {
	if err := kv.CheckKey(key); err != nil {
		return err
	}
	if err := s.ns.Delete(key); err != nil {
		return fmt.Errorf("kv delete %.40q: %w", key, err)
	}
	return nil
}
