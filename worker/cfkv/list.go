//go:build js && wasm

package cfkv

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/paylastic/edge/core/kv"
	"github.com/paylastic/edge/worker/jshost"
)

// List lists up to limit keys with prefix from cursor
// (https://developers.cloudflare.com/kv/api/list-keys/). The pool hands the
// page back as one JSON string (a KV key may hold any character).
func (s *Store) List(_ context.Context, prefix, cursor string, limit int) (kv.Page, error) {
	limit, err := kv.CheckLimit(limit)
	if err != nil {
		return kv.Page{}, err
	}
	v, err := jshost.Call("kvList", s.binding(), prefix, cursor, limit)
	if err != nil {
		return kv.Page{}, fmt.Errorf("kv list %.40q: %w", prefix, err)
	}
	var page struct {
		Complete bool      `json:"complete"`
		Cursor   string    `json:"cursor"`
		Names    []string  `json:"names"`
		Exps     []float64 `json:"exps"`
	}
	if err := json.Unmarshal([]byte(v[0].String()), &page); err != nil || len(page.Exps) != len(page.Names) {
		return kv.Page{}, fmt.Errorf("kv list %.40q: malformed page", prefix)
	}
	p := kv.Page{Complete: page.Complete, Keys: make([]kv.Key, len(page.Names))}
	if !p.Complete {
		p.Cursor = page.Cursor
	}
	for i, name := range page.Names {
		p.Keys[i].Name = name
		if page.Exps[i] > 0 {
			p.Keys[i].Expiration = time.Unix(int64(page.Exps[i]), 0).UTC()
		}
	}
	return p, nil
}
