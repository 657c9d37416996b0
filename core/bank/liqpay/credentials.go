package liqpay

import (
	"context"
	"encoding/hex"
	"fmt"
	"io"

	"github.com/paylastic/edge/core/bank"
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
	c, err := bank.DecodeCredentials[Credentials](Name, raw, `{"public_key":"…","private_key":"…"} and optionally "sandbox":true`)
	if err != nil {
		return c, err
	}
	if err := bank.CheckToken(Name, "public_key", c.PublicKey, minKey, maxKey); err != nil {
		return c, err
	}
	if err := bank.CheckToken(Name, "private_key", c.PrivateKey, minKey, maxKey); err != nil {
		return c, err
	}
	if c.PublicKey == c.PrivateKey {
		return c, errs.E(errs.Invalid, "liqpay credentials: public_key and private_key are the same")
	}
	return c, nil
}

// CheckCredentials validates credentials sent to the admin API and returns
// them as they are sealed.
func (b *Bank) CheckCredentials(raw []byte) ([]byte, error) {
	return bank.CheckCredentials(Name, raw, ParseCredentials)
}

// MaskCredentials shows opened credentials without the secret: the public
// key in full (it is in every checkout form the buyers' browsers post), the
// private key as its first three characters and its length.
func (b *Bank) MaskCredentials(plain []byte) map[string]string {
	return bank.MaskCredentials(plain, func(c Credentials) map[string]string {
		return map[string]string{"public_key": c.PublicKey, "private_key": bank.Mask(c.PrivateKey), "sandbox": fmt.Sprint(c.Sandbox)}
	})
}

// credentials opens the merchant's sealed keys.
func (b *Bank) credentials(m merchant.Merchant) (Credentials, error) {
	return bank.OpenCredentials(b.env, m, Name, ParseCredentials)
}

// VerifyCredentials asks LiqPay the status of an order that cannot exist,
// signed with the keys: "payment not found" means LiqPay knows the public
// key and the signature is its private key's; public_key_not_found or
// invalid_signature say which key is wrong
// (https://www.liqpay.ua/en/doc/errors).
func (b *Bank) VerifyCredentials(ctx context.Context, plain []byte) error {
	c, err := ParseCredentials(plain)
	if err != nil {
		return err
	}
	return b.verifyKeys(ctx, c)
}

// verifyKeys asks LiqPay about keys c (see VerifyCredentials).
func (b *Bank) verifyKeys(ctx context.Context, c Credentials) error {
	probe := make([]byte, 12)
	if _, err := io.ReadFull(b.env.Rand, probe); err != nil {
		return fmt.Errorf("verify liqpay keys: %w", err)
	}
	_, err := b.call(ctx, c, request{Action: "status", OrderID: "paylastic-key-check-" + hex.EncodeToString(probe)})
	switch {
	case err == nil, errs.CodeOf(err) == errs.NotFound:
		return nil
	case bank.Refused(err):
		return err
	}
	return fmt.Errorf("verify liqpay keys: %w", err)
}
