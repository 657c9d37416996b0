//go:build wasip1 && !guesttest

package main

import "net/http"

// kvRoutes adds nothing: the KV test routes exist only in a -tags guesttest
// build (testroutes_kv.go).
func kvRoutes(*http.ServeMux) {}
