//go:build js && wasm

package cfkv

import (
	"context"
	"fmt"
	"syscall/js"

	"github.com/paylastic/edge/core/kv"
)

var uint8Array = js.Global().Get("Uint8Array")

// Get returns the value stored under key, kv.ErrNotFound for a missing or
// expired key, kv.ErrInvalidKey for a key Workers KV would refuse. It calls
// KVNamespace.get(key, {type: "arrayBuffer"}) and treats JavaScript null as
// missing (https://developers.cloudflare.com/kv/api/read-key-value-pairs/).
func (s *Store) Get(_ context.Context, key string) ([]byte, error) {
	if err := kv.CheckKey(key); err != nil {
		return nil, err
	}
	opts := js.Global().Get("Object").New()
	opts.Set("type", "arrayBuffer")
	v, err := await(s.raw.Call("get", key, opts))
	if err != nil {
		return nil, fmt.Errorf("kv get %.40q: %w", key, err)
	}
	if v.IsNull() || v.IsUndefined() {
		return nil, fmt.Errorf("kv get %.40q: %w", key, kv.ErrNotFound)
	}
	buf := uint8Array.New(v)
	b := make([]byte, buf.Get("byteLength").Int())
	js.CopyBytesToGo(b, buf)
	return b, nil
}
