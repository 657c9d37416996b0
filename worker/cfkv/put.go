//go:build js && wasm

package cfkv

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/paylastic/edge/core/kv"
	cfkv "github.com/syumai/workers/cloudflare/kv"
)

// Put stores value under key with syumai's PutReader, which hands Workers KV
// an ArrayBuffer, so any bytes round-trip (PutString would turn invalid UTF-8
// into U+FFFD). ttl 0 keeps the value forever; otherwise ttl must be at least
// kv.MinTTL (kv.ErrInvalidTTL) and is rounded up to whole seconds, the unit
// of expirationTtl
// (https://developers.cloudflare.com/kv/api/write-key-value-pairs/).
func (s *Store) Put(_ context.Context, key string, value []byte, ttl time.Duration) error {
	if err := kv.CheckKey(key); err != nil {
		return err
	}
	if err := kv.CheckTTL(ttl); err != nil {
		return err
	}
	var opts *cfkv.PutOptions
	if ttl > 0 {
		opts = &cfkv.PutOptions{ExpirationTTL: int((ttl + time.Second - 1) / time.Second)}
	}
	if err := s.ns.PutReader(key, bytes.NewReader(value), opts); err != nil {
		return fmt.Errorf("kv put %.40q: %w", key, err)
	}
	return nil
}
