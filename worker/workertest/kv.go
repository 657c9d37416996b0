package workertest

import (
	"context"
	"net/http"

	"github.com/paylastic/edge/core/kv"
	"github.com/paylastic/edge/core/kv/kvtest/kvhttp"
)

// KV is a kv.Store whose every operation is one request to the Worker's
// test routes (/_test/kv/...), which run it through the Worker's own KV
// adapter (worker/cfkv) against workerd's Workers KV. It is how the kv
// conformance suite reaches the adapter. The wire is package kvhttp's,
// shared with the WASI guest's test routes.
type KV struct {
	kvhttp.Client
}

var _ kv.Store = (*KV)(nil)

// KV returns the Worker's KV store as seen through its adapter.
func (e *Env) KV() *KV {
	return &KV{kvhttp.Client{URL: e.URL + "/_test/kv", Name: "worker kv"}}
}

// Failing returns the same store with the named operations failing inside
// the Worker (see FaultHeader).
func (s *KV) Failing(ops string) *KV {
	c := s.Client
	c.Header = http.Header{FaultHeader: {ops}}
	return &KV{c}
}

// GetString is what syumai's own Namespace.GetString answers for key (the
// Worker's /_test/kv/getstring route), to pin its "<null>" behaviour.
func (s *KV) GetString(ctx context.Context, key string) (string, error) {
	b, err := s.GetVia(ctx, "getstring", key)
	return string(b), err
}
