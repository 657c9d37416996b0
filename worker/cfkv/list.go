//go:build js && wasm

package cfkv

import (
	"context"
	"fmt"
	"syscall/js"
	"time"

	"github.com/paylastic/edge/core/kv"
	"github.com/paylastic/edge/worker/jsfetch"
)

// List lists up to limit keys with prefix from cursor
// (https://developers.cloudflare.com/kv/api/list-keys/).
func (s *Store) List(_ context.Context, prefix, cursor string, limit int) (kv.Page, error) {
	limit, err := kv.CheckLimit(limit)
	if err != nil {
		return kv.Page{}, err
	}
	opts := object.New()
	opts.Set("prefix", prefix)
	opts.Set("limit", limit)
	if cursor != "" {
		opts.Set("cursor", cursor)
	}
	res, err := jsfetch.Await(s.binding().Call("list", opts))
	if err != nil {
		return kv.Page{}, fmt.Errorf("kv list %.40q: %w", prefix, err)
	}
	keys := res.Get("keys")
	p := kv.Page{Complete: res.Get("list_complete").Bool(), Keys: make([]kv.Key, 0, keys.Length())}
	if c := res.Get("cursor"); !p.Complete && c.Type() == js.TypeString {
		p.Cursor = c.String()
	}
	for i := range keys.Length() {
		k := keys.Index(i)
		key := kv.Key{Name: k.Get("name").String()}
		if exp := k.Get("expiration"); exp.Type() == js.TypeNumber && exp.Float() > 0 {
			key.Expiration = time.Unix(int64(exp.Float()), 0).UTC()
		}
		p.Keys = append(p.Keys, key)
	}
	return p, nil
}
