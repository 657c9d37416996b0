// Package sign builds and checks LiqPay's data/signature envelope (API
// version 3), used by the checkout form, server-server requests and the
// server callback.
//
//	data      = base64(JSON of the parameters, public_key and version inside)
//	signature = base64(sha1(private_key + data + private_key))
//
// base64 is StdEncoding on one line (never wrapped) and the digest is the raw
// 20 bytes, not hex. See https://www.liqpay.ua/documentation/en/data_signature,
// https://www.liqpay.ua/documentation/en/api/callback and the official SDKs
// (github.com/liqpay/sdk-go, github.com/liqpay/sdk-php).
//
// A third-party summary claims SHA3-256 for a "version 7"; every official
// source says SHA-1 for version 3. SignatureWith and VerifyWith keep the hash
// pluggable should that change.
//
// The package is platform-free: it builds natively, for js/wasm and wasip1.
package sign

import (
	"bytes"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"hash"
)

// Data returns base64 (StdEncoding, one line) of the JSON encoding of params.
// params is usually a struct or a map holding version, public_key, action and
// the action's fields. HTML characters are not escaped, so the JSON is what
// the caller wrote.
func Data(params any) (string, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(params); err != nil {
		return "", fmt.Errorf("encode data: %w", err)
	}
	js := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	return base64.StdEncoding.EncodeToString(js), nil
}

// Signature returns base64(sha1(privateKey + data + privateKey)), the
// signature LiqPay expects with data and sends with every callback.
func Signature(privateKey, data string) string {
	return SignatureWith(sha1.New, privateKey, data)
}

// SignatureWith is Signature with another hash function.
func SignatureWith(newHash func() hash.Hash, privateKey, data string) string {
	h := newHash()
	h.Write([]byte(privateKey))
	h.Write([]byte(data))
	h.Write([]byte(privateKey))
	return base64.StdEncoding.EncodeToString(h.Sum(nil))
}

// Verify checks signature against data, the received "data" string as-is,
// comparing in constant time. It returns nil or an error wrapping
// ErrBadSignature. Decode data only after Verify succeeds.
func Verify(privateKey, data, signature string) error {
	return VerifyWith(sha1.New, privateKey, data, signature)
}

// VerifyWith is Verify with another hash function.
func VerifyWith(newHash func() hash.Hash, privateKey, data, signature string) error {
	want := SignatureWith(newHash, privateKey, data)
	if signature == "" || subtle.ConstantTimeCompare([]byte(want), []byte(signature)) != 1 {
		return fmt.Errorf("verify signature: %w", ErrBadSignature)
	}
	return nil
}

// Decode base64-decodes data and unmarshals the JSON into v. Numbers decoded
// into an interface value become json.Number, so amounts such as 42.1 keep
// their decimal text. Every failure wraps ErrBadData.
func Decode(data string, v any) error {
	raw, err := base64.StdEncoding.DecodeString(data)
	if err != nil {
		return fmt.Errorf("decode data: base64: %w", ErrBadData)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("decode data: json: %v: %w", err, ErrBadData)
	}
	if dec.More() {
		return fmt.Errorf("decode data: trailing data: %w", ErrBadData)
	}
	return nil
}
