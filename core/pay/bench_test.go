package pay

import (
	"net/http"
	"testing"
)

// BenchmarkPaymentPage is one GET /p/{ref} over an in-memory store.
func BenchmarkPaymentPage(b *testing.B) {
	w := newWorld(b)
	ref, _ := w.newCheck("12,50")
	b.ResetTimer()
	for b.Loop() {
		if rec := w.serve("GET", "/p/"+ref, "uk"); rec.Code != http.StatusOK {
			b.Fatal(rec.Code)
		}
	}
}
