package abi

import (
	"bytes"
	"testing"
)

func TestPutFraming(t *testing.T) {
	for _, tc := range []struct {
		key string
		val []byte
		ttl uint64
	}{{"k", []byte("v"), 60}, {"ключ", nil, 0}, {"", []byte{0, 1, 2}, 1 << 40}} {
		k, v, ttl, err := DecodePut(EncodePut(tc.key, tc.val, tc.ttl))
		if err != nil || k != tc.key || !bytes.Equal(v, tc.val) || ttl != tc.ttl {
			t.Errorf("round trip of %q = %q %q %d %v", tc.key, k, v, ttl, err)
		}
	}
	for _, bad := range [][]byte{nil, {1}, {5, 0, 0, 0, 'a'}} {
		if _, _, _, err := DecodePut(bad); err == nil {
			t.Errorf("DecodePut(%v) succeeded", bad)
		}
	}
	if p, n := Unpack(Pack(0xdeadbeef, 42)); p != 0xdeadbeef || n != 42 {
		t.Errorf("Unpack(Pack) = %x %d", p, n)
	}
}
