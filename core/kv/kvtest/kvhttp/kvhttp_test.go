package kvhttp_test

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/paylastic/edge/core/kv"
	"github.com/paylastic/edge/core/kv/kvtest"
	"github.com/paylastic/edge/core/kv/kvtest/kvhttp"
)

// TestConformance: the wire itself loses nothing. Handler over the
// in-memory store, driven by Client, passes the suite (so a failure through
// a wasm build's routes is the build's adapter, not the transport).
func TestConformance(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	mux := http.NewServeMux()
	mux.Handle("/_test/kv/", http.StripPrefix("/_test/kv", kvhttp.Handler(kv.NewMem(clock))))
	srv := httptest.NewServer(mux)
	defer srv.Close()
	kvtest.Run(t, kvtest.Harness{
		New:     func(t *testing.T) kv.Store { return &kvhttp.Client{URL: srv.URL + "/_test/kv"} },
		Advance: func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() },
	})
}
