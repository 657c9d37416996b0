package monobank

import (
	"bytes"
	"encoding/json"
	"fmt"
	"unicode/utf8"

	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/merchant"
)

// Credentials are a merchant's monobank credentials, as sealed in
// merchant.Merchant.Credentials: {"token":"…"}. The token is the X-Token of
// the merchant's cabinet (https://web.monobank.ua/) or a test token from
// https://api.monobank.ua/.
type Credentials struct {
	Token string `json:"token"`
}

// Token lengths accepted. monobank does not document the token's format;
// the ones seen are 44 base64 characters.
const (
	minToken = 16
	maxToken = 256
)

// ParseCredentials reads and checks credentials JSON strictly (no other
// fields). Errors are errs.Invalid and never quote the token.
func ParseCredentials(raw []byte) (Credentials, error) {
	var c Credentials
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil || dec.More() {
		return c, errs.E(errs.Invalid, `monobank credentials: want {"token":"…"}`)
	}
	if !tokenShape(c.Token) {
		return c, errs.E(errs.Invalid, "monobank credentials: token must be %d to %d printable characters without spaces", minToken, maxToken)
	}
	return c, nil
}

// tokenShape reports whether s can be an X-Token: printable ASCII, no
// spaces, so it cannot smuggle anything into a header.
func tokenShape(s string) bool {
	if len(s) < minToken || len(s) > maxToken {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}

// CheckCredentials validates credentials sent to the admin API and returns
// them as they are sealed.
func (b *Bank) CheckCredentials(raw []byte) ([]byte, error) {
	c, err := ParseCredentials(raw)
	if err != nil {
		return nil, err
	}
	return json.Marshal(c)
}

// MaskCredentials shows opened credentials without the secret: the token's
// first three characters and its length.
func (b *Bank) MaskCredentials(plain []byte) map[string]string {
	var c Credentials
	if json.Unmarshal(plain, &c) != nil {
		return map[string]string{"error": "unreadable"}
	}
	return map[string]string{"token": Mask(c.Token)}
}

// Mask shows a secret as its first three characters and its length:
// "uXv…(44 chars)".
func Mask(secret string) string {
	if secret == "" {
		return ""
	}
	n := utf8.RuneCountInString(secret)
	head := []rune(secret)
	if n > 3 {
		head = head[:3]
	}
	if n < 12 {
		head = nil // too short to show any of it
	}
	return fmt.Sprintf("%s…(%d chars)", string(head), n)
}

// credentials opens the merchant's sealed credentials.
func (b *Bank) credentials(m merchant.Merchant) (Credentials, error) {
	if len(m.Credentials) == 0 || b.env.Credentials == nil {
		return Credentials{}, fmt.Errorf("merchant %s has no monobank credentials", m.ID)
	}
	plain, err := b.env.Credentials(m)
	if err != nil {
		return Credentials{}, fmt.Errorf("open credentials of merchant %s: %w", m.ID, err)
	}
	c, err := ParseCredentials(plain)
	if err != nil {
		return Credentials{}, fmt.Errorf("credentials of merchant %s are not monobank's: %w", m.ID, err)
	}
	return c, nil
}
