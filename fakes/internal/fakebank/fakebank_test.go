package fakebank

import (
	"bytes"
	"slices"
	"testing"
)

func TestPAN(t *testing.T) {
	tests := []struct {
		number, pan string
		ok          bool
	}{
		{"4242 4242 4242 4242", "4242424242424242", true},
		{"4000-0000-0000-0002", "4000000000000002", true},
		{"4242424242424241", "4242424242424241", false}, // Luhn
		{"42424242424", "42424242424", false},           // 11 digits
		{"4242 4242 4242 424x", "424242424242424x", false},
	}
	for _, tt := range tests {
		if pan, ok := PAN(tt.number); pan != tt.pan || ok != tt.ok {
			t.Errorf("PAN(%q) = %q, %v; want %q, %v", tt.number, pan, ok, tt.pan, tt.ok)
		}
	}
}

func TestScheme(t *testing.T) {
	for pan, want := range map[string]string{"4242": "visa", "5555": "mastercard", "2221": "mastercard", "3782": "other"} {
		if got := Scheme(pan); got != want {
			t.Errorf("Scheme(%s) = %s, want %s", pan, got, want)
		}
	}
}

func TestID(t *testing.T) {
	if got := ID(bytes.NewReader([]byte{0, 1, 12}), 3, "0123456789"); got != "012" {
		t.Errorf("ID = %q, want 012", got)
	}
}

func TestKeepAndLatest(t *testing.T) {
	h := Keep([]string{"a", "b", "c", "d"}, 3)
	if !slices.Equal(h, []string{"b", "c", "d"}) {
		t.Fatalf("Keep = %v", h)
	}
	id := func(s string) string { return s }
	for status, want := range map[string]int{"": 2, "b": 0, "c": 1, "a": -1} {
		if got := Latest(h, status, id); got != want {
			t.Errorf("Latest(%q) = %d, want %d", status, got, want)
		}
	}
}
