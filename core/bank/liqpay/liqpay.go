// Package liqpay is the bank.Provider for LiqPay's Checkout API, version 3
// (https://www.liqpay.ua/documentation/en/api/aquiring/checkout/doc): a
// payment is a form with data (base64 of the JSON parameters) and signature
// (base64 of SHA-1 of private key, data, private key; package sign) that
// the buyer's browser posts to {LIQPAY_API_URL}/api/3/checkout: the
// product's page of that form (bank.Redirect.Form) submits itself, with a
// button for browsers without JavaScript. LiqPay posts its server callback, in the same
// envelope, to server_url; action=status and action=refund go through
// /api/request (bank.Refunder). LiqPay has no way to withdraw an unpaid
// checkout: its page stops taking the payment at expired_date, the check's
// expiry.
//
// Every merchant has its own keys (Credentials), sealed in the merchant
// record. order_id is the check's signed token, "-" and the attempt's
// number, so each attempt is a new LiqPay order and a callback names its
// check; the link also goes into server_url's query (?ref=), so that a
// callback names the merchant whose private key must verify it before its
// data is decoded.
package liqpay

import (
	"time"

	"github.com/paylastic/edge/core/bank"
)

// Name is the provider's name in merchant records, attempts and routes.
const Name = "liqpay"

// DefaultAPIURL is LiqPay's base URL (LIQPAY_API_URL overrides it).
const DefaultAPIURL = "https://www.liqpay.ua"

const (
	version = 3
	// grace is how long after its expired_date an order LiqPay does not
	// know is still reported pending: a payment made at the last moment may
	// take a while to show.
	grace = 3 * time.Minute
)

// Bank is the LiqPay provider. It is cheap to build: nothing is fetched or
// parsed until a request needs it.
type Bank struct {
	env bank.Env
	api string // base URL, no trailing slash
}

var _ bank.Provider = (*Bank)(nil)

// New returns the provider talking to LiqPay at apiURL ("" means
// DefaultAPIURL).
func New(env bank.Env, apiURL string) *Bank {
	return &Bank{env: env.WithDefaults(), api: bank.APIBase(apiURL, DefaultAPIURL)}
}

// CheckoutURL is where the buyer's browser posts the checkout form.
func (b *Bank) CheckoutURL() string { return b.api + "/api/3/checkout" }
