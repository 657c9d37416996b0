// Package sign verifies and makes the X-Sign signature of monobank acquiring
// ("Plata by mono") webhooks.
//
// A webhook's X-Sign header is base64 (StdEncoding) of an ASN.1 DER ECDSA
// signature over SHA-256 of the raw request body, made with the key whose
// base64-encoded PEM GET /api/merchant/pubkey returns. See
// https://api.monobank.ua/docs/acquiring.html (tag "Приклади верифікації
// підпису webhook") and
// https://monobank.ua/api-docs/acquiring/dev/webhooks/get--api--merchant--pubkey.
//
// The package is platform-free: it builds natively, for js/wasm and wasip1.
package sign

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"strings"
)

// Size bounds, so that hostile input costs a bounded amount of work before
// the signature check itself. A DER P-256 signature is at most 72 bytes
// (96 base64 characters); the PEM of a P-256 SubjectPublicKeyInfo is about
// 180 bytes.
const (
	maxXSignLen  = 128
	maxPubKeyLen = 4096
)

// ParsePublicKey parses the "key" field of GET /api/merchant/pubkey: base64
// (StdEncoding) of a PEM "PUBLIC KEY" block (PKIX, not raw DER) holding an
// ECDSA P-256 key. Surrounding white space is ignored. Every failure wraps
// ErrBadKey.
func ParsePublicKey(b64pem string) (*ecdsa.PublicKey, error) {
	s := strings.TrimSpace(b64pem)
	if s == "" || len(s) > maxPubKeyLen {
		return nil, fmt.Errorf("parse public key: length %d: %w", len(s), ErrBadKey)
	}
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("parse public key: base64: %w", ErrBadKey)
	}
	block, _ := pem.Decode(raw)
	if block == nil || block.Type != "PUBLIC KEY" {
		return nil, fmt.Errorf("parse public key: no PEM PUBLIC KEY block: %w", ErrBadKey)
	}
	k, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("parse public key: pkix: %w", ErrBadKey)
	}
	pub, ok := k.(*ecdsa.PublicKey)
	if !ok || pub.Curve != elliptic.P256() {
		return nil, fmt.Errorf("parse public key: not an ECDSA P-256 key: %w", ErrBadKey)
	}
	return pub, nil
}

// EncodePublicKey is the inverse of ParsePublicKey: base64 of the PEM
// "PUBLIC KEY" block of pub, as GET /api/merchant/pubkey serves it. It is
// for fakes and tests.
func EncodePublicKey(pub *ecdsa.PublicKey) (string, error) {
	if pub == nil {
		return "", fmt.Errorf("encode public key: nil: %w", ErrBadKey)
	}
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return "", fmt.Errorf("encode public key: %w", ErrBadKey)
	}
	p := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	return base64.StdEncoding.EncodeToString(p), nil
}

// Verify checks xSign, the X-Sign header of a webhook, against body, the raw
// request body exactly as received (re-serialized JSON does not verify).
//
// It returns nil for a valid signature, an error wrapping ErrBadKey for a nil
// or non-P-256 key, and an error wrapping ErrBadSignature otherwise. The work
// done is bounded by the body length: an over-long X-Sign is rejected before
// decoding, and the body is hashed once.
func Verify(pub *ecdsa.PublicKey, body []byte, xSign string) error {
	if pub == nil || pub.Curve != elliptic.P256() {
		return fmt.Errorf("verify x-sign: %w", ErrBadKey)
	}
	s := strings.TrimSpace(xSign)
	if s == "" || len(s) > maxXSignLen {
		return fmt.Errorf("verify x-sign: length %d: %w", len(s), ErrBadSignature)
	}
	sig, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return fmt.Errorf("verify x-sign: base64: %w", ErrBadSignature)
	}
	h := sha256.Sum256(body)
	if !ecdsa.VerifyASN1(pub, h[:], sig) {
		return fmt.Errorf("verify x-sign: %w", ErrBadSignature)
	}
	return nil
}

// Sign makes the X-Sign value for body as monobank does: base64 of the ASN.1
// ECDSA signature over SHA-256 of body. It is for fakes and tests; the
// signature is randomized, so two calls give different values that both
// verify.
func Sign(priv *ecdsa.PrivateKey, body []byte) (string, error) {
	if priv == nil {
		return "", fmt.Errorf("sign: nil key: %w", ErrBadKey)
	}
	h := sha256.Sum256(body)
	sig, err := ecdsa.SignASN1(rand.Reader, priv, h[:])
	if err != nil {
		return "", fmt.Errorf("sign: %w", err)
	}
	return base64.StdEncoding.EncodeToString(sig), nil
}
