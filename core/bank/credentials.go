package bank

import (
	"bytes"
	"encoding/json"
	"fmt"
	"unicode/utf8"

	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/merchant"
)

// DecodeCredentials decodes provider's credentials JSON strictly into a C:
// one value, with no fields C does not have. If it cannot, the error is
// errs.Invalid saying want, the JSON the provider takes; it never quotes
// what was sent, which may hold a secret.
func DecodeCredentials[C any](provider string, raw []byte, want string) (C, error) {
	var c C
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if dec.Decode(&c) != nil || dec.More() {
		return c, errs.E(errs.Invalid, "%s credentials: want %s", provider, want)
	}
	return c, nil
}

// CheckToken checks field, a token or key of provider's credentials: value
// must be min to max printable characters without spaces (PrintableToken),
// or the error is errs.Invalid naming the field and never quoting it.
func CheckToken(provider, field, value string, min, max int) error {
	if !PrintableToken(value, min, max) {
		return errs.E(errs.Invalid, "%s credentials: %s must be %d to %d printable characters without spaces", provider, field, min, max)
	}
	return nil
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

// Mask shows a secret as its length only: "…(44 chars)". Even a few
// leading characters narrow a guess and tell two secrets apart to whoever
// sees the admin API's answers or its logs.
func Mask(secret string) string {
	return fmt.Sprintf("…(%d chars)", utf8.RuneCountInString(secret))
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
// named provider and checks them with parse. Credentials that are missing,
// cannot be opened or are not the provider's are errs.Refused: the
// merchant's setup is wrong, and no retry can fix it.
func OpenCredentials[C any](e Env, m merchant.Merchant, provider string, parse func([]byte) (C, error)) (C, error) {
	var none C
	if len(m.Credentials) == 0 || e.Credentials == nil {
		return none, errs.E(errs.Refused, "the merchant has no %s credentials", provider)
	}
	plain, err := e.Credentials(m)
	if err != nil {
		return none, errs.Wrap(errs.Refused, fmt.Errorf("open credentials of merchant %s: %w", m.ID, err), "the merchant's credentials cannot be opened (another DATA_KEY?)")
	}
	c, err := parse(plain)
	if err != nil {
		return none, errs.Wrap(errs.Refused, fmt.Errorf("credentials of merchant %s are not %s's: %w", m.ID, provider, err), "the merchant's credentials are not "+provider+"'s")
	}
	return c, nil
}
