//go:build wasip1

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/paylastic/edge/core/kv"
	"github.com/paylastic/edge/wasm/abi"
)

// hostKV is the kv port over the host ABI. Limits are checked here too, so a
// bad key fails the same way on every store.
type hostKV struct{}

var _ kv.Store = hostKV{}

func (hostKV) Get(_ context.Context, key string) ([]byte, error) {
	if err := kv.CheckKey(key); err != nil {
		return nil, err
	}
	return call(abi.OpKVGet, []byte(key))
}

func (hostKV) Put(_ context.Context, key string, value []byte, ttl time.Duration) error {
	if err := kv.CheckKey(key); err != nil {
		return err
	}
	if err := kv.CheckTTL(ttl); err != nil {
		return err
	}
	_, err := call(abi.OpKVPut, abi.EncodePut(key, value, uint64(ttl/time.Second)))
	return err
}

func (hostKV) Delete(_ context.Context, key string) error {
	if err := kv.CheckKey(key); err != nil {
		return err
	}
	_, err := call(abi.OpKVDelete, []byte(key))
	return err
}

func (hostKV) List(_ context.Context, prefix, cursor string, limit int) (kv.Page, error) {
	limit, err := kv.CheckLimit(limit)
	if err != nil {
		return kv.Page{}, err
	}
	args, _ := json.Marshal(abi.ListArgs{Prefix: prefix, Cursor: cursor, Limit: limit})
	out, err := call(abi.OpKVList, args)
	if err != nil {
		return kv.Page{}, err
	}
	var res abi.ListResult
	if err := json.Unmarshal(out, &res); err != nil {
		return kv.Page{}, fmt.Errorf("kv list: decode: %w", err)
	}
	p := kv.Page{Cursor: res.Cursor, Complete: res.Complete, Keys: make([]kv.Key, 0, len(res.Keys))}
	for _, k := range res.Keys {
		p.Keys = append(p.Keys, k.Key())
	}
	return p, nil
}
