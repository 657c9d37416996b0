// Package ids makes and encodes the product's identifiers: random ones from an
// injected source (crypto/rand in production, a fixed stream in tests) and
// keyed derivations, all printed in lower-case unpadded base32 so they are
// safe in URLs, KV keys and Telegram callback data.
package ids

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"fmt"
	"io"
	"strings"
)

var enc = base32.StdEncoding.WithPadding(base32.NoPadding)

// Encode prints b as lower-case unpadded base32.
func Encode(b []byte) string { return strings.ToLower(enc.EncodeToString(b)) }

// Decode parses what Encode printed into exactly n bytes.
func Decode(s string, n int) ([]byte, error) {
	if len(s) != enc.EncodedLen(n) {
		return nil, fmt.Errorf("decode id %.40q: want %d characters", s, enc.EncodedLen(n))
	}
	b, err := enc.DecodeString(strings.ToUpper(s))
	if err != nil {
		return nil, fmt.Errorf("decode id %.40q: %w", s, err)
	}
	return b, nil
}

// Random reads n bytes from r and encodes them.
func Random(r io.Reader, n int) (string, error) {
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", fmt.Errorf("read random: %w", err)
	}
	return Encode(b), nil
}

// Derive returns the first n bytes of HMAC-SHA256(key, parts joined by NUL):
// the same inputs give the same id, and nobody without key can guess it.
func Derive(key []byte, n int, parts ...string) []byte {
	m := hmac.New(sha256.New, key)
	for i, p := range parts {
		if i > 0 {
			m.Write([]byte{0})
		}
		m.Write([]byte(p))
	}
	return m.Sum(nil)[:n]
}
