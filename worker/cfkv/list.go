//go:build js && wasm

package cfkv

import (
	"context"
	"fmt"

	"github.com/paylastic/edge/core/kv"
	"github.com/paylastic/edge/worker/jshost"
)

// List lists up to limit keys with prefix from cursor
// (https://developers.cloudflare.com/kv/api/list-keys/). The pool hands the
// keys back in bytes (listwire.go): a KV key may hold any character.
func (s *Store) List(_ context.Context, prefix, cursor string, limit int) (kv.Page, error) {
	limit, err := kv.CheckLimit(limit)
	if err != nil {
		return kv.Page{}, err
	}
	r, err := s.call(jshost.OpKVList, prefix, func(w *jshost.Writer) { w.Text(cursor).Num(float64(limit)) })
	if err != nil {
		return kv.Page{}, fmt.Errorf("kv list %.40q: %w", prefix, err)
	}
	complete, next, listed := r.Flag(), r.Text(), r.Rest()
	if err := r.Err(); err != nil {
		return kv.Page{}, fmt.Errorf("kv list %.40q: %w", prefix, err)
	}
	keys, err := listedKeys(listed)
	if err != nil {
		return kv.Page{}, fmt.Errorf("kv list %.40q: %w", prefix, err)
	}
	p := kv.Page{Complete: complete, Keys: keys}
	if !p.Complete {
		p.Cursor = next
	}
	return p, nil
}
