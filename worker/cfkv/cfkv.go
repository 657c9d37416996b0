//go:build js && wasm

// Package cfkv adapts a Workers KV namespace binding
// (https://developers.cloudflare.com/kv/api/) to core's kv.Store port.
//
// It calls the binding's get, put, delete and list through the pool's host
// functions (package jshost), instead of going through syumai's kv
// package: that one leaves half of each then/catch pair behind, which a
// long-lived Worker instance would accumulate, and its GetString returns
// the string "<null>" for a missing key (it calls js.Value.String on
// JavaScript null). Get asks for an ArrayBuffer and checks for null itself,
// so a missing key is kv.ErrNotFound and a stored value that happens to be
// "<null>" is a value like any other.
//
// An instance serves many events, and each lease sets the env of its own:
// the binding is looked up again when the Worker says the env changed
// (Refresh), and kept otherwise, as workerd hands an isolate's events the
// same env object.
//
// Every method checks the limits Workers KV enforces (kv.CheckKey,
// kv.CheckTTL, kv.CheckLimit) before calling it, so a key or TTL that fails
// here fails the same way on every store, and never half-way.
package cfkv

import (
	"fmt"
	"syscall/js"

	"github.com/paylastic/edge/core/kv"
	"github.com/syumai/workers/cloudflare"
)

// Store is the kv.Store of one KV namespace binding.
type Store struct {
	name string
	ns   js.Value
}

var _ kv.Store = (*Store)(nil)

// New binds the KV namespace named binding in the Worker's configuration
// (wrangler.toml [[kv_namespaces]] binding). It fails when the binding is
// not configured, and panics outside a Worker event, as
// cloudflare.GetBinding does.
func New(binding string) (*Store, error) {
	s := &Store{name: binding}
	if err := s.Refresh(); err != nil {
		return nil, err
	}
	return s, nil
}

// Refresh looks the binding up again in the current event's env.
func (s *Store) Refresh() error {
	b := cloudflare.GetBinding(s.name)
	if b.IsUndefined() || b.IsNull() {
		return fmt.Errorf("bind kv namespace %s: no such binding", s.name)
	}
	s.ns = b
	return nil
}

func (s *Store) binding() js.Value { return s.ns }
