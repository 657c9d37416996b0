//go:build wasip1 && guesttest

package main

// This file exists only in a -tags guesttest build (the harness's KV
// conformance test builds one), never in `make guest`, and testHooks mounts
// its routes only with PAYLASTIC_TEST_HOOKS=1: two locks, as for the
// Worker's /_test/kv (worker/testroutes.go), because these routes read and
// write any key. They run the kv conformance suite through the guest's own
// adapter (hostKV, over the host ABI) instead of a native copy of it.

import (
	"net/http"

	"github.com/paylastic/edge/core/kv/kvtest/kvhttp"
)

// kvTestPrefix is where the KV routes are mounted (kvhttp's wire format).
const kvTestPrefix = "/_test/kv"

func kvRoutes(mux *http.ServeMux) {
	mux.Handle(kvTestPrefix+"/", http.StripPrefix(kvTestPrefix, kvhttp.Handler(hostKV{})))
}
