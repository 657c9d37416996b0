//go:build js && wasm && !workertest

package main

import (
	"net/http"

	"github.com/paylastic/edge/core/kv"
)

// testHooks is false outside a -tags workertest build: no test routes, no
// fault injection, no pool statistics route.
const testHooks = false

// testKV is the store itself outside a -tags workertest build.
func testKV(s kv.Store) kv.Store { return s }

// withTestRoutes is the identity outside a -tags workertest build.
func withTestRoutes(h http.Handler) http.Handler { return h }
