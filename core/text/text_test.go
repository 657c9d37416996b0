package text

import (
	"net/http/httptest"
	"testing"
)

func TestLang(t *testing.T) {
	tests := map[string]string{"": "uk", "uk": "uk", "ru": "uk", "en": "en", "en-US": "en", "EN_gb": "en", " en": "en", "eng": "en", "de": "uk"}
	for in, want := range tests {
		if got := Lang(in); got != want {
			t.Errorf("Lang(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRequestLang(t *testing.T) {
	tests := []struct{ url, accept, want string }{
		{"/p/x", "", "uk"},
		{"/p/x", "en-US,en;q=0.9", "en"},
		{"/p/x", "ru-RU,ru;q=0.9,en;q=0.5,uk;q=0.8", "uk"},
		{"/p/x", "de-DE", "uk"},
		{"/p/x?lang=en", "uk", "en"},
		{"/p/x?lang=uk", "en", "uk"},
		{"/p/x?lang=fr", "en", "en"},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", tt.url, nil)
		r.Header.Set("Accept-Language", tt.accept)
		if got := RequestLang(r); got != tt.want {
			t.Errorf("RequestLang(%s, Accept-Language %q) = %q, want %q", tt.url, tt.accept, got, tt.want)
		}
	}
}

func TestClip(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"exactly10!", 10, "exactly10!"},
		{"Кавʼярня Ранок", 5, "Кавʼ…"},
		{"abc", 0, ""},
	}
	for _, tt := range tests {
		if got := Clip(tt.in, tt.n); got != tt.want {
			t.Errorf("Clip(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}

func FuzzAcceptLanguage(f *testing.F) {
	f.Add("en-US,en;q=0.9,uk;q=0.8")
	f.Add(";q=,,,")
	f.Fuzz(func(t *testing.T, h string) {
		if got := AcceptLanguage(h); got != UK && got != EN {
			t.Fatalf("AcceptLanguage(%q) = %q", h, got)
		}
	})
}
