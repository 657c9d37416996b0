//go:build wasip1

package main

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"runtime"
	"sync"
	"time"

	"github.com/paylastic/edge/core/kv"
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
	// Which instance served this, and what of earlier requests it still
	// holds: the pool's tests lease one instance to many requests.
	mux.HandleFunc("GET /_test/instance", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{
			"id": instanceID(), "served": served, "pinned": len(pinned), "goroutines": runtime.NumGoroutine(),
		})
	})
	// A goroutine left running after the answer, as a careless handler
	// might leave one: it would run on in the next request's lease.
	mux.HandleFunc("GET /_test/goroutine", func(w http.ResponseWriter, _ *http.Request) {
		go func() {
			time.Sleep(time.Hour)
		}()
		_, _ = w.Write([]byte("left one running"))
	})
	// Host calls from many goroutines at once, each yielding between its
	// host call and the take of the result (as one does when the
	// allocation of the result's buffer assists the collector), so that
	// another makes a call meanwhile. Every read must find its own answer:
	// a missing key's.
	mux.HandleFunc("GET /_test/calls-at-once", func(w http.ResponseWriter, r *http.Request) {
		betweenCallAndTake = runtime.Gosched
		defer func() { betweenCallAndTake = nil }()
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for g := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range 40 {
					if _, err := (hostKV{}).Get(r.Context(), fmt.Sprintf("missing:%d:%d", g, i)); !errors.Is(err, kv.ErrNotFound) {
						errs <- fmt.Errorf("goroutine %d read %d: %v, want not found", g, i, err)
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		_, _ = w.Write([]byte("ok"))
	})
	kvRoutes(mux)
	casRoutes(mux)
	return mux
}

var instID string

// instanceID is a random name of this instance, made on first use.
func instanceID() string {
	if instID == "" {
		b := make([]byte, 8)
		_, _ = rand.Read(b)
		instID = hex.EncodeToString(b)
	}
	return instID
}
