//go:build wasip1

package main

import (
	"net/http"
	"os"
)

// testHooks wraps the product with routes that exist only when the harness
// sets PAYLASTIC_TEST_HOOKS=1, so harness tests can prove that a panic, a
// fatal trap or a hang inside the guest never hangs or crashes the host.
// They are part of this guest only, never of core or the Worker.
func testHooks(h http.Handler) http.Handler {
	if os.Getenv("PAYLASTIC_TEST_HOOKS") != "1" {
		return h
	}
	mux := http.NewServeMux()
	mux.Handle("/", h)
	mux.HandleFunc("GET /_test/panic", func(http.ResponseWriter, *http.Request) {
		panic("test panic in handler") // recovered by the product's middleware or serve
	})
	mux.HandleFunc("GET /_test/fatal", func(http.ResponseWriter, *http.Request) {
		done := make(chan struct{})
		go func() { panic("test panic in a goroutine") }() // unrecoverable: traps the instance
		<-done
	})
	mux.HandleFunc("GET /_test/hang", func(http.ResponseWriter, *http.Request) {
		for i := 0; ; i++ { // spins until the host's timeout closes the instance
			_ = i
		}
	})
	return mux
}
