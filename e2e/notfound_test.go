package e2e

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/paylastic/edge/wasm/hosttest"
)

// TestNotFoundOnGuest: the compiled guest answers an unknown route with the
// 404 page in the buyer's language to a browser, and with the JSON error to
// API clients and on the API's routes.
func TestNotFoundOnGuest(t *testing.T) {
	e := hosttest.Start(t, hosttest.Options{})
	const browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
	for _, tt := range []struct {
		method, path, accept, lang string
		want                       string // in the body
		html                       bool
	}{
		{"GET", "/nope", browser, "uk-UA,uk;q=0.9", "<h1>Сторінку не знайдено</h1>", true},
		{"GET", "/favicon.ico", browser, "en-GB,en;q=0.9", "<h1>Page not found</h1>", true},
		{"GET", "/nope?lang=en", browser, "uk", "<h1>Page not found</h1>", true},
		{"GET", "/nope", "application/json", "", `"code":"not_found"`, false},
		{"GET", "/nope", "*/*", "", `"code":"not_found"`, false},
		{"POST", "/telegram/nope", browser, "", `"code":"not_found"`, false},
		{"GET", "/admin/nope", browser, "", `"error"`, false},
	} {
		req, _ := http.NewRequest(tt.method, e.URL+tt.path, strings.NewReader(""))
		req.Header.Set("Accept", tt.accept)
		if tt.lang != "" {
			req.Header.Set("Accept-Language", tt.lang)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		ct := resp.Header.Get("Content-Type")
		if got := strings.HasPrefix(ct, "text/html"); got != tt.html || !strings.Contains(string(body), tt.want) {
			t.Errorf("%s %s (Accept %s) = %d %s:\n%s\nwant %s", tt.method, tt.path, tt.accept, resp.StatusCode, ct, body, tt.want)
		}
		if tt.html && (resp.StatusCode != http.StatusNotFound || resp.Header.Get("Content-Security-Policy") == "") {
			t.Errorf("%s: %d, CSP %q; want 404 with the CSP", tt.path, resp.StatusCode, resp.Header.Get("Content-Security-Policy"))
		}
	}
}
