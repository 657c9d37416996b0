//go:build wasip1 && guesttest

package main

// The consistent store's test routes, with the KV routes' two locks: only
// in a -tags guesttest build, and mounted by testHooks only with
// PAYLASTIC_TEST_HOOKS=1. They run the cas conformance suite through the
// guest's own store (hostCAS: package sqlcas over the host ABI's OpSQL).

import (
	"net/http"
	"time"

	"github.com/paylastic/edge/core/cas"
	"github.com/paylastic/edge/core/cas/castest/cashttp"
)

// casTestPrefix is where the routes are mounted (cashttp's wire format).
const casTestPrefix = "/_test/cas"

func casRoutes(mux *http.ServeMux) {
	mux.Handle(casTestPrefix+"/", http.StripPrefix(casTestPrefix, cashttp.Handler(func(now func() time.Time) (cas.Store, error) {
		return hostCAS(now), nil
	})))
}
