//go:build js && wasm

package cfkv

import (
	"context"
	"fmt"
	"time"

	"github.com/paylastic/edge/core/kv"
	cfkv "github.com/syumai/workers/cloudflare/kv"
)

// List returns one page of the keys under prefix, after cursor. It maps
// Workers KV's list() answer (https://developers.cloudflare.com/kv/api/list-keys/):
// keys[].name and the absolute keys[].expiration (seconds), list_complete
// and cursor. A page may be short or empty before the last one.
func (s *Store) List(_ context.Context, prefix, cursor string, limit int) (kv.Page, error) {
	limit, err := kv.CheckLimit(limit)
	if err != nil {
		return kv.Page{}, err
	}
	res, err := s.ns.List(&cfkv.ListOptions{Prefix: prefix, Cursor: cursor, Limit: limit})
	if err != nil {
		return kv.Page{}, fmt.Errorf("kv list %.40q: %w", prefix, err)
	}
	p := kv.Page{Complete: res.ListComplete, Keys: make([]kv.Key, 0, len(res.Keys))}
	if !res.ListComplete {
		p.Cursor = res.Cursor
	}
	for _, k := range res.Keys {
		key := kv.Key{Name: k.Name}
		if k.Expiration > 0 {
			key.Expiration = time.Unix(int64(k.Expiration), 0).UTC()
		}
		p.Keys = append(p.Keys, key)
	}
	return p, nil
}
