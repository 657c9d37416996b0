//go:build wasip1 && !guesttest

package main

import "net/http"

// casRoutes adds nothing: the consistent store's test routes exist only in
// a -tags guesttest build (testroutes_cas.go).
func casRoutes(*http.ServeMux) {}
