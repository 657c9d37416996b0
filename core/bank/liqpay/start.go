package liqpay

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"github.com/paylastic/edge/core/bank"
	"github.com/paylastic/edge/core/bank/liqpay/sign"
	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/text"
)

// checkout is the JSON of a checkout's data
// (https://www.liqpay.ua/documentation/uk/api/aquiring/checkout/doc).
type checkout struct {
	Version     int         `json:"version"`
	PublicKey   string      `json:"public_key"`
	Action      string      `json:"action"`
	Amount      json.Number `json:"amount"` // decimal hryvnias: 12.50
	Currency    string      `json:"currency"`
	Description string      `json:"description"`
	OrderID     string      `json:"order_id"`
	ResultURL   string      `json:"result_url"`
	ServerURL   string      `json:"server_url"`
	Language    string      `json:"language"`
	ExpiredDate string      `json:"expired_date"` // UTC
	Sandbox     string      `json:"sandbox,omitempty"`
}

const (
	expiredDateLayout = "2006-01-02 15:04:05"
	maxDescription    = 120
)

// Start prepares the checkout form of the attempt: order_id is the token
// reference and the attempt's number, the order stops taking payments at the
// check's expiry (expired_date), and LiqPay calls back server_url (the
// callback URL with ?ref=token) and returns the buyer to c.ResultURL. Nothing
// is sent to LiqPay: the buyer's browser posts the form. The attempt keeps
// the form's data (in PayURL's fragment, which no browser or server ever
// sends) so that Resume posts the very same checkout again.
func (b *Bank) Start(ctx context.Context, c bank.Checkout) (bank.Payment, error) {
	cr, err := b.credentials(c.Merchant)
	if err != nil {
		return bank.Payment{}, fmt.Errorf("liqpay start: %w", err)
	}
	now := b.env.Now().UTC()
	if !now.Before(c.Valid) {
		return bank.Payment{}, errs.E(errs.Conflict, "the check has expired")
	}
	co := checkout{
		Version:     version,
		PublicKey:   cr.PublicKey,
		Action:      "pay",
		Amount:      json.Number(c.Ref.Amount.Decimal()),
		Currency:    "UAH",
		Description: bank.Purpose(c.Merchant.Name, c.Lang, maxDescription),
		OrderID:     OrderID(c.Token, c.Seq),
		ResultURL:   c.ResultURL,
		ServerURL:   bank.CallbackURL(c.CallbackURL, c.Token),
		Language:    text.Lang(c.Lang),
		ExpiredDate: c.Valid.UTC().Format(expiredDateLayout),
	}
	if cr.Sandbox {
		co.Sandbox = "1"
	}
	data, err := sign.Data(co)
	if err != nil {
		return bank.Payment{}, fmt.Errorf("liqpay start: %w", err)
	}
	return bank.Payment{
		Attempt: check.Attempt{
			Provider:    Name,
			ProviderRef: co.OrderID,
			PayURL:      b.CheckoutURL() + "#" + data,
			Status:      check.AttemptPending,
			Created:     now,
			Valid:       c.Valid.UTC(),
		},
		Redirect: b.form(cr, data),
	}, nil
}

// Resume posts the attempt's checkout again, with the data Start made: the
// same order_id with other data would be a duplicate order to LiqPay. An
// attempt that kept no data gets its form made anew.
func (b *Bank) Resume(ctx context.Context, c bank.Checkout, a check.Attempt) (bank.Redirect, error) {
	cr, err := b.credentials(c.Merchant)
	if err != nil {
		return bank.Redirect{}, fmt.Errorf("liqpay resume: %w", err)
	}
	if _, data, ok := strings.Cut(a.PayURL, "#"); ok && data != "" {
		return b.form(cr, data), nil
	}
	if token, ok := splitOrderID(a.ProviderRef); ok && token == c.Token {
		c.Seq = seqOf(a.ProviderRef)
		p, err := b.Start(ctx, c)
		return p.Redirect, err
	}
	return bank.Redirect{}, fmt.Errorf("liqpay resume: attempt %.40q is not of check %s", a.ProviderRef, c.Ref.ID)
}

// form is the checkout form for data.
func (b *Bank) form(cr Credentials, data string) bank.Redirect {
	return bank.Redirect{
		URL:  b.CheckoutURL(),
		Form: url.Values{"data": {data}, "signature": {sign.Signature(cr.PrivateKey, data)}},
	}
}

func seqOf(orderID string) int {
	n := 0
	for i := strings.LastIndexByte(orderID, '-') + 1; i < len(orderID); i++ {
		n = n*10 + int(orderID[i]-'0')
	}
	return n
}
