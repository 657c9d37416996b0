package pay

import (
	"net/http"
	"testing"
)

// BenchmarkParseTemplates is what the first render of a request costs on
// Workers, where every request runs a fresh instance.
func BenchmarkParseTemplates(b *testing.B) {
	for b.Loop() {
		if _, err := parsed("check")(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPaymentPage is one GET /p/{ref} with a cold template, over an
// in-memory store.
func BenchmarkPaymentPage(b *testing.B) {
	w := newWorld(b)
	ref, _ := w.newCheck("12,50")
	b.ResetTimer()
	for b.Loop() {
		templates["check"] = parsed("check")
		if rec := w.serve("GET", "/p/"+ref, "uk"); rec.Code != http.StatusOK {
			b.Fatal(rec.Code)
		}
	}
}

func FuzzAcceptLanguage(f *testing.F) {
	f.Add("en-US,en;q=0.9,uk;q=0.8")
	f.Add(";q=,,,")
	f.Fuzz(func(t *testing.T, h string) {
		if got := acceptLanguage(h); got != "uk" && got != "en" {
			t.Fatalf("acceptLanguage(%q) = %q", h, got)
		}
	})
}
