//go:build js && wasm

package cfkv

import (
	"context"
	"fmt"
	"syscall/js"

	"github.com/paylastic/edge/core/kv"
	"github.com/paylastic/edge/worker/jsfetch"
)

var (
	uint8Array = js.Global().Get("Uint8Array")
	object     = js.Global().Get("Object")
)

// Get reads key as an ArrayBuffer; JavaScript null is kv.ErrNotFound.
func (s *Store) Get(_ context.Context, key string) ([]byte, error) {
	if err := kv.CheckKey(key); err != nil {
		return nil, err
	}
	opts := object.New()
	opts.Set("type", "arrayBuffer")
	v, err := jsfetch.Await(s.binding().Call("get", key, opts))
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
