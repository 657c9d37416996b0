//go:build js && wasm

// Package cfkv adapts a Workers KV namespace binding
// (https://developers.cloudflare.com/kv/api/) to core's kv.Store port.
//
// It calls the binding's get, put, delete and list through the pool's host
// operations (package jshost), named by the binding, instead of going through syumai's kv
// package: that one leaves half of each then/catch pair behind, which a
// long-lived Worker instance would accumulate, and its GetString returns
// the string "<null>" for a missing key (it calls js.Value.String on
// JavaScript null). Get asks for an ArrayBuffer and checks for null itself,
// so a missing key is kv.ErrNotFound and a stored value that happens to be
// "<null>" is a value like any other.
//
// An instance serves many events, and each lease sets the env of its own:
// the pool looks the binding up by name in the env of the event that
// calls, and Refresh checks, when the Worker says the env changed, that
// it is still there, so that a missing binding is a clear error at once.
//
// Every method checks the limits Workers KV enforces (kv.CheckKey,
// kv.CheckTTL, kv.CheckLimit) before calling it, so a key or TTL that fails
// here fails the same way on every store, and never half-way.
package cfkv

import (
	"fmt"

	"github.com/paylastic/edge/core/kv"
	"github.com/paylastic/edge/worker/jshost"
	"github.com/syumai/workers/cloudflare"
)

// Store is the kv.Store of one KV namespace binding.
type Store struct {
	name string
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

// Refresh checks that the current event's env has the binding.
func (s *Store) Refresh() error {
	b := cloudflare.GetBinding(s.name)
	if b.IsUndefined() || b.IsNull() {
		return fmt.Errorf("bind kv namespace %s: no such binding", s.name)
	}
	return nil
}

// call runs op on the binding, with the key (or prefix) and then the
// fields w adds.
func (s *Store) call(op jshost.Op, key string, w func(*jshost.Writer)) (*jshost.Reader, error) {
	a := jshost.Writer{B: make([]byte, 0, 16+len(s.name)+len(key))}
	a.Text(s.name).Text(key)
	if w != nil {
		w(&a)
	}
	b, err := jshost.Call(op, a.B)
	if err != nil {
		return nil, err
	}
	return jshost.NewReader(b), nil
}
