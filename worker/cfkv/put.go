//go:build js && wasm

package cfkv

import (
	"context"
	"fmt"
	"time"

	"github.com/paylastic/edge/core/kv"
	"github.com/paylastic/edge/worker/jshost"
)

// Put writes value at key with an expirationTtl in whole seconds (rounded
// up; none for ttl 0).
func (s *Store) Put(_ context.Context, key string, value []byte, ttl time.Duration) error {
	if err := kv.CheckKey(key); err != nil {
		return err
	}
	if err := kv.CheckTTL(ttl); err != nil {
		return err
	}
	secs := 0
	if ttl > 0 {
		secs = int((ttl + time.Second - 1) / time.Second)
	}
	if _, err := s.call(jshost.OpKVPut, key, func(w *jshost.Writer) { w.Bytes(value).Num(float64(secs)) }); err != nil {
		return fmt.Errorf("kv put %.40q: %w", key, err)
	}
	return nil
}
