//go:build js && wasm

// Command worker is PayLastic Edge on Cloudflare Workers, built with
//
//	GOOS=js GOARCH=wasm go build -tags stdjson -trimpath -ldflags="-s -w" -o build/app.wasm ./worker
//
// (make worker, which also generates build/worker.mjs with syumai's
// workers-assets-gen). It binds the platform to core's ports: the KV
// namespace binding "KV" (package cfkv), outbound HTTP through syumai's
// fetch client, configuration from the Worker's vars and secrets
// (cloudflare.Getenv), and the Cron Trigger to app.Scheduled.
//
// Workers run main afresh for every request and every cron event (a new Go
// instance each time), so main and package init do nothing but register the
// two entries; the product is built inside them.
package main

import (
	"net/http"

	"github.com/syumai/workers"
	"github.com/syumai/workers/cloudflare/cron"
)

func main() {
	cron.ScheduleTaskNonBlock(scheduled)
	workers.Serve(http.HandlerFunc(serve))
}
