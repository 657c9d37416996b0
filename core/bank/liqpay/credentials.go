package liqpay

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/merchant"
)

// Credentials are a merchant's LiqPay keys, as sealed in
// merchant.Merchant.Credentials:
// {"public_key":"i…","private_key":"…","sandbox":false}. Sandbox sends
// sandbox=1 with every checkout and takes LiqPay's status "sandbox" for a
// payment; without it that status is refused, as no money moved.
type Credentials struct {
	PublicKey  string `json:"public_key"`
	PrivateKey string `json:"private_key"`
	Sandbox    bool   `json:"sandbox,omitempty"`
}

// Key lengths accepted. LiqPay documents no format; public keys seen are
// "i" and 11 digits, private keys 40 characters (both may carry a
// "sandbox_" prefix).
const (
	minKey = 8
	maxKey = 256
)

// ParseCredentials reads and checks credentials JSON strictly (no other
// fields). Errors are errs.Invalid and never quote a key.
func ParseCredentials(raw []byte) (Credentials, error) {
	var c Credentials
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil || dec.More() {
		return c, errs.E(errs.Invalid, `liqpay credentials: want {"public_key":"…","private_key":"…"} and optionally "sandbox":true`)
	}
	switch {
	case !keyShape(c.PublicKey):
		return c, errs.E(errs.Invalid, "liqpay credentials: public_key must be %d to %d printable characters without spaces", minKey, maxKey)
	case !keyShape(c.PrivateKey):
		return c, errs.E(errs.Invalid, "liqpay credentials: private_key must be %d to %d printable characters without spaces", minKey, maxKey)
	case c.PublicKey == c.PrivateKey:
		return c, errs.E(errs.Invalid, "liqpay credentials: public_key and private_key are the same")
	}
	return c, nil
}

func keyShape(s string) bool {
	if len(s) < minKey || len(s) > maxKey {
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

// MaskCredentials shows opened credentials without the secret: the public
// key in full (it is in every checkout form the buyers' browsers post), the
// private key as its first three characters and its length.
func (b *Bank) MaskCredentials(plain []byte) map[string]string {
	var c Credentials
	if json.Unmarshal(plain, &c) != nil {
		return map[string]string{"error": "unreadable"}
	}
	return map[string]string{"public_key": c.PublicKey, "private_key": mask(c.PrivateKey), "sandbox": fmt.Sprint(c.Sandbox)}
}

// mask shows a secret as its first three characters and its length.
func mask(secret string) string {
	n := len([]rune(secret))
	head := ""
	if n >= 12 {
		head = string([]rune(secret)[:3])
	}
	return fmt.Sprintf("%s…(%d chars)", head, n)
}

// credentials opens the merchant's sealed keys.
func (b *Bank) credentials(m merchant.Merchant) (Credentials, error) {
	if len(m.Credentials) == 0 || b.env.Credentials == nil {
		return Credentials{}, fmt.Errorf("merchant %s has no liqpay credentials", m.ID)
	}
	plain, err := b.env.Credentials(m)
	if err != nil {
		return Credentials{}, fmt.Errorf("open credentials of merchant %s: %w", m.ID, err)
	}
	c, err := ParseCredentials(plain)
	if err != nil {
		return Credentials{}, fmt.Errorf("credentials of merchant %s are not liqpay's: %w", m.ID, err)
	}
	return c, nil
}
