//go:build js && wasm

// Command worker is PayLastic Edge on Cloudflare Workers, built with
//
//	GOOS=js GOARCH=wasm go build -tags stdjson -trimpath -ldflags="-s -w" -o build/app.wasm ./worker
//
// (make worker, which puts it next to the Worker's JavaScript entry from
// worker/js). It binds the platform to core's ports: the KV namespace
// binding "KV" (package cfkv), outbound HTTP through the runtime's fetch
// (package jsfetch), configuration from the Worker's vars and secrets
// (cloudflare.Getenv), and the Cron Trigger to app.Scheduled.
//
// One Go instance serves many events, one at a time: the JavaScript pool
// (worker/js/pool.mjs) leases an instance, sets that event's env and ctx on
// the instance's runtime context, and calls the two functions bridge.go
// sets on its binding, serve and scheduled. main registers them and blocks
// for the instance's life.
package main

import "github.com/syumai/workers"

func main() {
	register()
	workers.Ready()
	select {} // the instance lives on; the pool calls in
}
