//go:build js && wasm

// Command hello is the baseline of make worker-bench: the smallest syumai
// Worker (as syumai's _templates/cloudflare/worker-go), answering "ok" to
// every request, so the bench can tell the cost of a Go Worker as such from
// the product's own.
package main

import (
	"io"
	"net/http"

	"github.com/syumai/workers"
)

func main() {
	workers.Serve(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, "ok")
	}))
}
