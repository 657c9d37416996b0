package monobank

import (
	"context"
	"fmt"
	"net/http"

	"github.com/paylastic/edge/core/bank"
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
	c, err := bank.DecodeCredentials[Credentials](Name, raw, `{"token":"…"}`)
	if err != nil {
		return c, err
	}
	return c, bank.CheckToken(Name, "token", c.Token, minToken, maxToken)
}

// CheckCredentials validates credentials sent to the admin API and returns
// them as they are sealed.
func (b *Bank) CheckCredentials(raw []byte) ([]byte, error) {
	return bank.CheckCredentials(Name, raw, ParseCredentials)
}

// MaskCredentials shows opened credentials without the secret: the token's
// first three characters and its length.
func (b *Bank) MaskCredentials(plain []byte) map[string]string {
	return bank.MaskCredentials(plain, func(c Credentials) map[string]string {
		if c.Token == "" {
			return map[string]string{"token": ""} // nothing to show, not even a length
		}
		return map[string]string{"token": bank.Mask(c.Token)}
	})
}

// credentials opens the merchant's sealed credentials.
func (b *Bank) credentials(m merchant.Merchant) (Credentials, error) {
	return bank.OpenCredentials(b.env, m, Name, ParseCredentials)
}

// VerifyCredentials asks GET /api/merchant/details with the token: the
// merchant's details if monobank takes it, 403 if not
// (https://monobank.ua/api-docs/acquiring/metody/internet-ekvairynh/get--api--merchant--details).
func (b *Bank) VerifyCredentials(ctx context.Context, plain []byte) error {
	c, err := ParseCredentials(plain)
	if err != nil {
		return err
	}
	return b.verifyToken(ctx, c.Token)
}

// verifyToken asks monobank about token (see VerifyCredentials).
func (b *Bank) verifyToken(ctx context.Context, token string) error {
	var details struct {
		MerchantID string `json:"merchantId"`
	}
	if err := b.call(ctx, token, http.MethodGet, "/api/merchant/details", nil, &details); err != nil {
		if bank.Refused(err) {
			return errs.Wrap(errs.Refused, err, "monobank refused the token: check it in the merchant's cabinet (web.monobank.ua)")
		}
		return fmt.Errorf("verify monobank token: %w", err)
	}
	return nil
}
