// Package fakebanktest holds what the fake banks' tests (fakes/monobank,
// fakes/liqpay) do alike: the merchant's endpoint that receives the fake's
// notifications, the test clock and server, and a browser that stops at
// redirects.
package fakebanktest

import (
	"net/http"
	"strings"
	"time"

	"github.com/paylastic/edge/internal/testsupport"
)

// NewClock is a test clock at the time the fake banks' tests start from.
func NewClock() *testsupport.Clock {
	return testsupport.NewClock(time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC))
}

// Join is the labels of items, comma-separated: what a test compares the
// notifications it received with ("processing,success").
func Join[T any](items []T, label func(T) string) string {
	s := make([]string, len(items))
	for i, it := range items {
		s[i] = label(it)
	}
	return strings.Join(s, ",")
}

// NoRedirect is a buyer's browser that stops at redirects.
var NoRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
