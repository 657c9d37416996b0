package storeroutes

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

var errGone = errors.New("gone")

var testErrors = Errors{Header: "X-Test-Error", Classes: []Class{{Code: "gone", Err: errGone, Status: http.StatusNotFound}}}

// TestErrorsRoundTrip: a failure written by Errors.Write comes back from
// Client.Do as its sentinel; any other failure as an error with its text.
func TestErrorsRoundTrip(t *testing.T) {
	tests := []struct {
		name     string
		serve    func(w http.ResponseWriter)
		sentinel error  // wanted wrapped, or nil
		text     string // wanted in the error
	}{
		{"class", func(w http.ResponseWriter) { testErrors.Write(w, fmt.Errorf("get k: %w", errGone)) }, errGone, "get k: gone"},
		{"other error", func(w http.ResponseWriter) { testErrors.Write(w, errors.New("disk on fire")) }, nil, "disk on fire"},
		{"no class", func(w http.ResponseWriter) { http.Error(w, "proxy page", http.StatusBadGateway) }, nil, "unexpected answer 502"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { tt.serve(w) }))
			defer srv.Close()
			c := Client{URL: srv.URL, Name: "test", Errors: testErrors}
			_, err := c.Do(context.Background(), http.MethodGet, "get", nil, nil, nil)
			if err == nil || !strings.Contains(err.Error(), tt.text) || !strings.HasPrefix(err.Error(), "test get: ") {
				t.Fatalf("Do error = %v, want one beginning test get: with %q", err, tt.text)
			}
			if got := errors.Is(err, errGone); got != (tt.sentinel != nil) {
				t.Errorf("errors.Is(%v, errGone) = %v, want %v", err, got, tt.sentinel != nil)
			}
		})
	}
}

// TestDo: a 2xx answer's body comes back, and the request carries the
// operation, its query, its body and the header given.
func TestDo(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		buf := new(strings.Builder)
		_, _ = fmt.Fprintf(buf, "%s %s?%s %s ", r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Get("X-Now"))
		b := make([]byte, 8)
		n, _ := r.Body.Read(b)
		buf.Write(b[:n])
		_, _ = w.Write([]byte(buf.String()))
	}))
	defer srv.Close()
	c := Client{URL: srv.URL, Name: "test", Errors: testErrors}
	got, err := c.Do(context.Background(), http.MethodPut, "put", map[string][]string{"key": {"k"}}, []byte("value"), http.Header{"X-Now": {"42"}})
	if want := "PUT /put?key=k 42 value"; err != nil || string(got) != want {
		t.Errorf("Do = %q, %v; want %q", got, err, want)
	}
}
