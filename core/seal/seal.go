// Package seal encrypts small secrets at rest (per-merchant bank credentials)
// with AES-256-GCM under DATA_KEY (invariant 7, docs/invariants.md).
package seal

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
)

// ErrOpen is returned when a sealed value does not decrypt: wrong key,
// tampered data or wrong associated data.
var ErrOpen = errors.New("seal: cannot open")

// Box seals and opens values.
type Box struct {
	aead cipher.AEAD
	rand io.Reader
}

// New derives an AES-256 key from secret (DATA_KEY) and reads nonces from rand.
func New(secret string, rand io.Reader) (Box, error) {
	if secret == "" {
		return Box{}, errors.New("seal: empty DATA_KEY")
	}
	k := sha256.Sum256([]byte("paylastic data v1\x00" + secret))
	block, err := aes.NewCipher(k[:])
	if err != nil {
		return Box{}, fmt.Errorf("seal: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return Box{}, fmt.Errorf("seal: %w", err)
	}
	return Box{aead: aead, rand: rand}, nil
}

// Seal encrypts plain, binding it to aad (for example the merchant id, so a
// sealed value cannot be moved to another merchant).
func (b Box) Seal(plain, aad []byte) ([]byte, error) {
	nonce := make([]byte, b.aead.NonceSize(), b.aead.NonceSize()+len(plain)+b.aead.Overhead())
	if _, err := io.ReadFull(b.rand, nonce); err != nil {
		return nil, fmt.Errorf("seal: read nonce: %w", err)
	}
	return b.aead.Seal(nonce, nonce, plain, aad), nil
}

// Open decrypts what Seal returned, or returns ErrOpen.
func (b Box) Open(sealed, aad []byte) ([]byte, error) {
	n := b.aead.NonceSize()
	if len(sealed) < n+b.aead.Overhead() {
		return nil, ErrOpen
	}
	plain, err := b.aead.Open(nil, sealed[:n], sealed[n:], aad)
	if err != nil {
		return nil, ErrOpen
	}
	return plain, nil
}
