//go:build wasip1

package main

import (
	"net/http"
	"os"
)

// hooksOn is the run-time lock of every test route: the harness must set
// PAYLASTIC_TEST_HOOKS=1 (hosttest does; `paylastic run` does not).
func hooksOn() bool { return os.Getenv("PAYLASTIC_TEST_HOOKS") == "1" }

// testHooks wraps the product with routes that exist only when hooksOn, so
// harness tests can prove that a panic, a fatal trap or a hang inside the
// guest never hangs or crashes the host. The KV routes need a -tags
// guesttest build as well (testroutes_kv.go). They are part of this guest
// only, never of core or the Worker.
func testHooks(h http.Handler) http.Handler {
	if !hooksOn() {
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
	kvRoutes(mux)
	casRoutes(mux)
	return mux
}
