//go:build js && wasm && !workertest

package main

import (
	"net/http"

	"github.com/paylastic/edge/core/kv"
	"github.com/paylastic/edge/worker/cfkv"
)

// bindKV returns the store for a request: the KV binding itself. A
// -tags workertest build may wrap it to inject failures (testroutes.go).
func bindKV(*http.Request) (kv.Store, error) { return cfkv.New(kvBinding) }

// withTestRoutes is the identity outside a -tags workertest build.
func withTestRoutes(h http.Handler, _ kv.Store) http.Handler { return h }
