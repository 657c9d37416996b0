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
	v, err := jshost.Call("kvList", s.binding(), prefix, cursor, limit)
	if err != nil {
		return kv.Page{}, fmt.Errorf("kv list %.40q: %w", prefix, err)
	}
	if len(v) != 3 {
		return kv.Page{}, fmt.Errorf("kv list %.40q: malformed page", prefix)
	}
	keys, err := listedKeys(jshost.GoBytes(v[2]))
	if err != nil {
		return kv.Page{}, fmt.Errorf("kv list %.40q: %w", prefix, err)
	}
	p := kv.Page{Complete: v[0].Bool(), Keys: keys}
	if !p.Complete {
		p.Cursor = v[1].String()
	}
	return p, nil
}
