package httpx

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// The CSP must allow each script by its real hash: a browser compares the
// script's bytes, so a stale constant would silently stop the LiqPay form
// or the share page's buttons.
func TestScriptHashes(t *testing.T) {
	for _, tt := range []struct {
		name, script, hash string
	}{
		{"AutoSubmit", AutoSubmit, autoSubmitHash},
		{"ShareScript", ShareScript, shareHash},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sum := sha256.Sum256([]byte(tt.script))
			want := "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
			if tt.hash != want {
				t.Fatalf("hash = %s, want %s", tt.hash, want)
			}
			if !strings.Contains(CSP, "'"+want+"'") {
				t.Fatalf("CSP %q does not allow the script", CSP)
			}
		})
	}
}

func TestCSPFormTo(t *testing.T) {
	got := CSPFormTo("https://www.liqpay.ua")
	if !strings.Contains(got, "form-action 'self' https://www.liqpay.ua;") || strings.Contains(got, "https:;") {
		t.Errorf("CSPFormTo = %q: want forms to us and that origin only", got)
	}
	if strings.Replace(got, "'self' https://www.liqpay.ua", "'self' https:", 1) != CSP {
		t.Errorf("CSPFormTo differs from CSP in more than form-action:\n%s\n%s", got, CSP)
	}
}

func TestSecureHeaders(t *testing.T) {
	h := Secure(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	tests := []struct {
		name     string
		proto    string
		wantHSTS bool
	}{
		{"http", "", false},
		{"https behind a proxy", "https", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			if tt.proto != "" {
				r.Header.Set("X-Forwarded-Proto", tt.proto)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			hd := rec.Header()
			if got := hd.Get("Content-Security-Policy"); got != CSP {
				t.Errorf("CSP = %q, want %q", got, CSP)
			}
			if got := hd.Get("X-Frame-Options"); got != "DENY" {
				t.Errorf("X-Frame-Options = %q, want DENY", got)
			}
			if got := hd.Get("Strict-Transport-Security") != ""; got != tt.wantHSTS {
				t.Errorf("HSTS set = %v, want %v", got, tt.wantHSTS)
			}
		})
	}
}
