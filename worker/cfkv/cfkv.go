//go:build js && wasm

// Package cfkv adapts a Workers KV namespace binding
// (https://developers.cloudflare.com/kv/api/) to core's kv.Store port, on
// top of github.com/syumai/workers/cloudflare/kv (v0.33.0).
//
// Put, Delete and List go through syumai's kv.Namespace. Get does not:
// syumai's GetString returns the string "<null>" for a missing key (it calls
// js.Value.String on JavaScript null) and GetReader hands back a stream over
// null that fails only when read. Get here asks the binding for an
// ArrayBuffer and checks for null itself, so a missing key is kv.ErrNotFound
// and a stored value that happens to be "<null>" is a value like any other.
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
	cfkv "github.com/syumai/workers/cloudflare/kv"
)

// Store is the kv.Store of one KV namespace binding.
type Store struct {
	ns  *cfkv.Namespace // syumai's wrapper: put, delete, list
	raw js.Value        // the same binding, for a null-aware get
}

var _ kv.Store = (*Store)(nil)

// New binds the KV namespace named binding in the Worker's configuration
// (wrangler.toml [[kv_namespaces]] binding). It fails when the binding is not
// configured, and panics outside a Worker request, as cloudflare.GetBinding
// does.
func New(binding string) (*Store, error) {
	ns, err := cfkv.NewNamespace(binding)
	if err != nil {
		return nil, fmt.Errorf("bind kv namespace %s: %w", binding, err)
	}
	return &Store{ns: ns, raw: cloudflare.GetBinding(binding)}, nil
}
