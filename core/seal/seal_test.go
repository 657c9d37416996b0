package seal

import (
	"bytes"
	"crypto/rand"
	"testing"
)

func TestSealOpen(t *testing.T) {
	b, err := New("key one", rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	other, _ := New("key two", rand.Reader)
	plain := []byte(`{"token":"secret"}`)
	s, err := b.Seal(plain, []byte("m1"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(s, []byte("secret")) {
		t.Fatal("sealed value contains the plain text")
	}
	if got, err := b.Open(s, []byte("m1")); err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("Open = %q, %v", got, err)
	}
	tampered := append([]byte(nil), s...)
	tampered[len(tampered)-1] ^= 1
	for name, tc := range map[string]struct {
		box Box
		s   []byte
		aad string
	}{
		"wrong key": {other, s, "m1"}, "wrong aad": {b, s, "m2"}, "tampered": {b, tampered, "m1"}, "short": {b, s[:5], "m1"},
	} {
		if _, err := tc.box.Open(tc.s, []byte(tc.aad)); err != ErrOpen {
			t.Errorf("%s: Open = %v, want ErrOpen", name, err)
		}
	}
	if _, err := New("", rand.Reader); err == nil {
		t.Error("New accepted an empty key")
	}
}
