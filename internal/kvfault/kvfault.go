// Package kvfault wraps a KV store so that a test can make its operations
// fail: the one place that knows how a failure is put in front of each
// kv.Store method. Who decides (a count, a random rate, a request header) is
// the caller's Fail function: wasm/host.Faulty, wasm/hosttest.Faults and the
// Worker's test routes (worker/testroutes.go) each bring their own.
//
// It imports only core/kv and the standard library (no testing), so the
// Worker's -tags workertest build (GOOS=js) can use it too.
package kvfault

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/paylastic/edge/core/kv"
)

// The operations a Fail function is asked about.
const (
	Get    = "get"
	Put    = "put"
	Delete = "delete"
	List   = "list"
)

// Store is a kv.Store whose every operation first asks Fail. A non-nil
// error from Fail is answered instead, and the wrapped store is not called.
// key is the operation's key (List: its prefix).
type Store struct {
	kv.Store
	Fail func(ctx context.Context, op, key string) error
}

var (
	_ kv.Store      = Store{}
	_ kv.ManyReader = Store{}
)

func (s Store) Get(ctx context.Context, key string) ([]byte, error) {
	if err := s.Fail(ctx, Get, key); err != nil {
		return nil, err
	}
	return s.Store.Get(ctx, key)
}

func (s Store) Put(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	if err := s.Fail(ctx, Put, key); err != nil {
		return err
	}
	return s.Store.Put(ctx, key, value, ttl)
}

func (s Store) Delete(ctx context.Context, key string) error {
	if err := s.Fail(ctx, Delete, key); err != nil {
		return err
	}
	return s.Store.Delete(ctx, key)
}

func (s Store) List(ctx context.Context, prefix, cursor string, limit int) (kv.Page, error) {
	if err := s.Fail(ctx, List, prefix); err != nil {
		return kv.Page{}, err
	}
	return s.Store.List(ctx, prefix, cursor, limit)
}

// GetMany asks Fail about each key, as Get does, and then reads them all
// from the wrapped store (in one call when it is a kv.ManyReader).
func (s Store) GetMany(ctx context.Context, keys []string) ([][]byte, error) {
	for _, k := range keys {
		if err := s.Fail(ctx, Get, k); err != nil {
			return nil, err
		}
	}
	return kv.GetMany(ctx, s.Store, keys)
}

// ListMany asks Fail about each prefix, as List does, and then lists them
// all from the wrapped store.
func (s Store) ListMany(ctx context.Context, prefixes []string) ([][]string, error) {
	for _, p := range prefixes {
		if err := s.Fail(ctx, List, p); err != nil {
			return nil, err
		}
	}
	return kv.ListMany(ctx, s.Store, prefixes)
}

// Switch is a Fail function a test turns on and off: while Reads is set,
// Get and List fail with Err; while Writes is set, Put and Delete do.
type Switch struct {
	Reads, Writes atomic.Bool
	Err           error
}

// Fail is the Fail function of a Store.
func (s *Switch) Fail(_ context.Context, op, _ string) error {
	if (op == Get || op == List) && s.Reads.Load() || (op == Put || op == Delete) && s.Writes.Load() {
		return s.Err
	}
	return nil
}
