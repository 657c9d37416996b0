package pay

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestNotFound: an unknown route is a page for a browser, in its language,
// and the JSON error for everything else.
func TestNotFound(t *testing.T) {
	const browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
	tests := []struct {
		name, method, path, accept, lang string
		page                             string // "" for JSON, else the page's language
	}{
		{"browser", "GET", "/nope", browser, "", "uk"},
		{"browser in English", "GET", "/favicon.ico", browser, "en-GB,en;q=0.9", "en"},
		{"?lang=en", "GET", "/nope?lang=en", browser, "uk", "en"},
		{"HEAD", "HEAD", "/nope", browser, "", "uk"},
		{"curl", "GET", "/nope", "*/*", "", ""},
		{"JSON client", "GET", "/nope", "application/json", "", ""},
		{"POST from a browser", "POST", "/nope", browser, "", ""},
		{"admin", "GET", "/admin", browser, "", ""},
		{"webhook", "GET", "/telegram/webhookx", browser, "", ""},
		{"bank callback", "GET", "/bank/x", browser, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, tt.path, nil)
			req.Header.Set("Accept", tt.accept)
			if tt.lang != "" {
				req.Header.Set("Accept-Language", tt.lang)
			}
			rec := httptest.NewRecorder()
			NotFound(nil)(rec, req)
			ct := rec.Header().Get("Content-Type")
			if rec.Code != http.StatusNotFound {
				t.Errorf("status = %d, want 404", rec.Code)
			}
			if !strings.Contains(rec.Header().Get("Vary"), "Accept") {
				t.Errorf("Vary = %q, want Accept in it", rec.Header().Get("Vary"))
			}
			if tt.page == "" {
				if !strings.HasPrefix(ct, "application/json") || !strings.Contains(rec.Body.String(), `"not_found"`) {
					t.Errorf("got %s %q, want the JSON error", ct, rec.Body)
				}
				return
			}
			if !strings.HasPrefix(ct, "text/html") || rec.Header().Get("Content-Language") != tt.page {
				t.Errorf("got %s in %q, want the page in %s", ct, rec.Header().Get("Content-Language"), tt.page)
			}
			if tt.method == "GET" && !strings.Contains(rec.Body.String(), "<h1>"+messages[tt.page]["notfound_title"]+"</h1>") {
				t.Errorf("page:\n%s", rec.Body)
			}
		})
	}
}
