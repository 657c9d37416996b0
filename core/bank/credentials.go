package bank

import (
	"bytes"
	"encoding/json"
	"fmt"
	"unicode/utf8"

	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/merchant"
)

// DecodeCredentials decodes credentials JSON strictly into v: one value,
// with no fields v does not have. It reports whether it could.
func DecodeCredentials(raw []byte, v any) bool {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	return dec.Decode(v) == nil && !dec.More()
}

// PrintableToken reports whether s can be a token or key: min to max bytes
// of printable ASCII without spaces, so that it cannot smuggle anything into
// a header or a signed string.
func PrintableToken(s string, min, max int) bool {
	if len(s) < min || len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}

// Mask shows a secret as its first three characters and its length:
// "uXv…(44 chars)". A secret shorter than 12 characters shows only its
// length.
func Mask(secret string) string {
	n := utf8.RuneCountInString(secret)
	head := ""
	if n >= 12 {
		head = string([]rune(secret)[:3])
	}
	return fmt.Sprintf("%s…(%d chars)", head, n)
}

// CheckCredentials is a provider's CheckCredentials for a provider that
// needs credentials: it validates them with parse and returns them as they
// are sealed; none given is errs.Invalid.
func CheckCredentials[C any](provider string, raw []byte, parse func([]byte) (C, error)) ([]byte, error) {
	if !Given(raw) {
		return nil, errs.E(errs.Invalid, "provider %s needs credentials", provider)
	}
	c, err := parse(raw)
	if err != nil {
		return nil, err
	}
	return json.Marshal(c)
}

// NoCredentials is CheckCredentials for a provider that takes none.
func NoCredentials(provider string, raw []byte) ([]byte, error) {
	if Given(raw) {
		return nil, errs.E(errs.Invalid, "provider %s takes no credentials", provider)
	}
	return nil, nil
}

// Given reports whether a "credentials" value was sent: not absent, null or {}.
func Given(raw []byte) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) > 0 && string(raw) != "null" && string(raw) != "{}"
}

// MaskCredentials is a provider's MaskCredentials: it reads opened
// credentials and shows them with show, or {"error":"unreadable"}.
func MaskCredentials[C any](plain []byte, show func(C) map[string]string) map[string]string {
	var c C
	if json.Unmarshal(plain, &c) != nil {
		return map[string]string{"error": "unreadable"}
	}
	return show(c)
}

// OpenCredentials opens merchant m's sealed credentials for the provider
// named provider and checks them with parse.
func OpenCredentials[C any](e Env, m merchant.Merchant, provider string, parse func([]byte) (C, error)) (C, error) {
	var none C
	if len(m.Credentials) == 0 || e.Credentials == nil {
		return none, fmt.Errorf("merchant %s has no %s credentials", m.ID, provider)
	}
	plain, err := e.Credentials(m)
	if err != nil {
		return none, fmt.Errorf("open credentials of merchant %s: %w", m.ID, err)
	}
	c, err := parse(plain)
	if err != nil {
		return none, fmt.Errorf("credentials of merchant %s are not %s's: %w", m.ID, provider, err)
	}
	return c, nil
}
