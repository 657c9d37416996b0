//go:build js && wasm

// Package cfkv adapts a Workers KV namespace binding
// (https://developers.cloudflare.com/kv/api/) to core's kv.Store port.
//
// It calls the binding's get, put, delete and list itself, each awaited
// with one pair of callbacks that is released (jsfetch.Await), instead of
// going through syumai's kv package: that one leaves half of each
// then/catch pair behind, which a long-lived Worker instance would
// accumulate, and its GetString returns the string "<null>" for a missing
// key (it calls js.Value.String on JavaScript null). Get asks for an
// ArrayBuffer and checks for null itself, so a missing key is
// kv.ErrNotFound and a stored value that happens to be "<null>" is a value
// like any other.
//
// The binding is looked up in the Worker's env at every call, not once:
// an instance serves many events, and each lease sets the env of its own.
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
type Store struct{ name string }

var _ kv.Store = (*Store)(nil)

// New binds the KV namespace named binding in the Worker's configuration
// (wrangler.toml [[kv_namespaces]] binding). It fails when the binding is
// not configured, and panics outside a Worker event, as
// cloudflare.GetBinding does.
func New(binding string) (*Store, error) {
	s := &Store{name: binding}
	if b := s.binding(); b.IsUndefined() || b.IsNull() {
		return nil, fmt.Errorf("bind kv namespace %s: no such binding", binding)
	}
	return s, nil
}

func (s *Store) binding() js.Value { return cloudflare.GetBinding(s.name) }
