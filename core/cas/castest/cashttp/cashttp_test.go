package cashttp_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/paylastic/edge/core/cas"
	"github.com/paylastic/edge/core/cas/castest"
	"github.com/paylastic/edge/core/cas/castest/cashttp"
)

// TestConformance: the wire itself loses nothing. Handler over the
// in-memory store, driven by Client, passes the suite (so a failure through
// a wasm build's routes is the build's adapter, not the transport), and
// every request brings the suite's clock to the server in NowHeader.
func TestConformance(t *testing.T) {
	castest.Run(t, func(t *testing.T, now func() time.Time) cas.Store {
		mem := cas.NewMem(now)
		mux := http.NewServeMux()
		mux.Handle("/_test/cas/", http.StripPrefix("/_test/cas", cashttp.Handler(func(reqNow func() time.Time) (cas.Store, error) {
			if got, want := reqNow(), now().Truncate(time.Millisecond); !got.Equal(want) {
				return nil, fmt.Errorf("clock header says %v, the suite's clock %v", got, want)
			}
			return mem, nil
		})))
		srv := httptest.NewServer(mux)
		t.Cleanup(srv.Close)
		return &cashttp.Client{URL: srv.URL + "/_test/cas", Now: now}
	})
}
