// Package bank is the product's port to acquirers: a Provider starts a
// payment for a check at the bank's hosted page, authenticates and parses the
// bank's server callbacks and answers what the bank says about an attempt.
// Every merchant is served by one provider (merchant.Merchant.Provider); a
// Registry finds it by name and implements checks.Bank on top of the
// providers.
//
// The shape follows real acquirers: monobank answers invoice/create with a
// page URL to redirect to (https://api.monobank.ua/docs/acquiring.html),
// LiqPay wants an HTML form posted to its checkout
// (https://www.liqpay.ua/en/documentation/api/aquiring/checkout/doc);
// monobank signs callbacks with ECDSA over the raw body (X-Sign), LiqPay
// with SHA-1 over a base64 field and the merchant's private key; both have
// a status call for reconciliation.
//
// Every provider puts the check's signed token (check.Signer.Encode) into
// the bank's order reference, so that a callback names its check without a
// KV read: the check's record may not have reached the callback's location
// yet.
package bank

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/kv"
	"github.com/paylastic/edge/core/merchant"
	"github.com/paylastic/edge/core/money"
	"github.com/paylastic/edge/core/text"
)

// Provider is one acquirer. Every provider implements every method, so the
// product never asks what a provider can do: a bank with nothing to withdraw
// (Cancel) or no way back but a plain GET (Resume) says so in its method.
type Provider interface {
	// Start creates the bank's payment for one attempt at a check and says
	// where to send the buyer. It writes nothing of the product's: the
	// caller records the returned attempt. Starting the same attempt (the
	// same Checkout.Token and Checkout.Seq) twice must not let the buyer pay
	// twice; providers that choose their own order ids derive them from both.
	Start(ctx context.Context, c Checkout) (Payment, error)

	// Resume sends the buyer back to an unfinished payment: a redirect to
	// Attempt.PayURL for most banks (ResumeAt), a re-posted form for LiqPay.
	Resume(ctx context.Context, c Checkout, a check.Attempt) (Redirect, error)

	// Callback authenticates a server callback from its raw body and
	// headers, and only then parses it. A forged, tampered or stale
	// callback is an errs.Unauthorized error, a malformed authentic one
	// errs.Invalid; nothing is changed before it returns.
	Callback(ctx context.Context, c Callback) (Notification, error)

	// Status asks the bank where an attempt stands (for the result page and
	// for the scheduled pass, when a callback is late or lost). It returns
	// an event with AttemptPending when the bank has no final word yet, and
	// an error when the bank cannot be asked or its payment is not for ref
	// (another check's reference or another amount).
	Status(ctx context.Context, m merchant.Merchant, ref check.Ref, a check.Attempt) (check.Event, error)

	// Cancel withdraws an unpaid payment when its check is cancelled, so
	// the buyer can no longer pay it (monobank invoice/remove). A bank with
	// nothing to withdraw returns nil.
	Cancel(ctx context.Context, m merchant.Merchant, ref check.Ref, a check.Attempt) error

	// Refund returns a successful payment (monobank invoice/cancel, LiqPay
	// refund, the sandbox's own record). The reversal comes with the bank's
	// callback or its Status, which the scheduled pass asks until it is
	// settled. A bank that refuses a second refund of the same payment
	// answers errs.Conflict.
	Refund(ctx context.Context, m merchant.Merchant, ref check.Ref, a check.Attempt, amount money.Amount) error

	// CheckCredentials validates the "credentials" object sent to the admin
	// API (nil or empty when none was sent) and returns the JSON to seal,
	// nil for a provider that takes none. errs.Invalid errors say what is
	// wrong without quoting secrets.
	CheckCredentials(raw []byte) ([]byte, error)

	// MaskCredentials shows opened credentials with secrets masked.
	MaskCredentials(plain []byte) map[string]string

	// VerifyCredentials asks the bank whether it takes credentials (as
	// CheckCredentials returned them), with one cheap authenticated call:
	// nil if it does, errs.Refused saying which credential is wrong if it
	// does not, errs.Unavailable if the bank cannot be asked now.
	VerifyCredentials(ctx context.Context, plain []byte) error
}

// ResumeAt is Resume for banks whose page is a plain address: back to it.
func ResumeAt(a check.Attempt) (Redirect, error) { return Redirect{URL: a.PayURL}, nil }

// Checkout is what a provider needs to start a payment.
type Checkout struct {
	Merchant merchant.Merchant
	Ref      check.Ref
	// Token is the check's signed token (check.Signer.Encode of Ref): put
	// it in the bank's order reference, so callbacks name the check.
	Token string
	// Seq numbers the attempts at one check from 1: Token and Seq together
	// are a unique order id (LiqPay wants one per attempt).
	Seq  int
	Lang string // the buyer's language: "uk" or "en"
	// ResultURL is where the bank sends the buyer back; CallbackURL is where
	// it posts its server callback.
	ResultURL   string
	CallbackURL string
	// Valid is when the bank's page must stop taking the payment: the
	// check's expiry.
	Valid time.Time
}

// Payment is a started payment: the attempt to record in the check's state
// and where to send the buyer.
type Payment struct {
	Attempt  check.Attempt
	Redirect Redirect
}

// Redirect sends the buyer to the bank: a 303 to URL, or, when Form is set,
// a page whose form posts Form to URL (LiqPay's checkout).
type Redirect struct {
	URL  string
	Form url.Values
}

// Callback is a bank's server callback as received. Nothing in it is trusted.
type Callback struct {
	Header http.Header
	Query  url.Values
	Body   []byte
}

// Notification is an authenticated callback.
type Notification struct {
	// Token is the check's signed token, as the bank echoed it back. The
	// caller checks it with check.Signer.Decode.
	Token string
	// Event is what the bank says about the attempt.
	Event check.Event
	// Amount is the amount the bank reports, 0 if it reports none; a
	// mismatch with the check's amount is refused.
	Amount money.Amount
	// ID identifies the callback for logs (the bank's event id if any).
	ID string
}

// Env is what providers get from the product: the platform ports and the
// product's own keys. Building a provider from it must stay cheap: nothing
// may be parsed or fetched until a request needs it.
type Env struct {
	HTTP      *http.Client
	KV        kv.Store
	Now       func() time.Time
	Rand      io.Reader
	Log       *slog.Logger
	Signer    check.Signer   // decodes checks' signed tokens; its Key derives provider keys
	Merchants merchant.Store // for providers whose callbacks are signed with a merchant's key
	BaseURL   string         // PUBLIC_BASE_URL, no trailing slash
	// Credentials opens a merchant's sealed provider credentials (JSON).
	Credentials func(m merchant.Merchant) ([]byte, error)
}

// Client returns the outbound HTTP client, http.DefaultClient if none is set.
func (e Env) Client() *http.Client {
	if e.HTTP != nil {
		return e.HTTP
	}
	return http.DefaultClient
}

// WithDefaults returns e with the clock (time.Now) filled in where it is
// not set. Log must be set: the product always has a logger.
func (e Env) WithDefaults() Env {
	if e.Now == nil {
		e.Now = time.Now
	}
	return e
}

// APIBase returns a provider's API base URL without a trailing slash:
// apiURL, or def when apiURL is empty (or only slashes).
func APIBase(apiURL, def string) string {
	apiURL = strings.TrimRight(apiURL, "/")
	if apiURL == "" {
		return def
	}
	return apiURL
}

// MerchantOf finds the merchant a callback's signed token names, for
// providers whose callbacks are signed with the merchant's own key. A token
// that is not ours is errs.Unauthorized: nothing can verify the callback.
// A merchant not visible here is errs.Unavailable: the token is signed, so
// the merchant exists and KV has not caught up yet; the bank's retry (or
// the scheduled pass) settles it. what names the callback in errors
// ("monobank webhook").
func (e Env) MerchantOf(ctx context.Context, token, what string) (merchant.Merchant, error) {
	ref, err := e.Signer.Decode(token)
	if err != nil {
		return merchant.Merchant{}, errs.E(errs.Unauthorized, "%s for no check of ours", what)
	}
	m, err := e.Merchants.Get(ctx, ref.Merchant)
	if err != nil {
		if errs.CodeOf(err) == errs.NotFound {
			return m, errs.Wrap(errs.Unavailable, err, "merchant not visible yet")
		}
		return m, fmt.Errorf("%s: %w", what, err)
	}
	return m, nil
}

// CallbackURL is the callback URL a bank is given for a payment: callback
// with the check's token in the query (ref=), so that a callback names the
// merchant whose key must verify it before its body is read.
func CallbackURL(callback, token string) string {
	sep := "?"
	if strings.Contains(callback, "?") {
		sep = "&"
	}
	return callback + sep + "ref=" + url.QueryEscape(token)
}

// Purpose is the payment's purpose the buyer sees on the bank's page
// ("Оплата: Кавʼярня"), at most max characters.
func Purpose(merchantName, lang string, max int) string {
	prefix := "Оплата: "
	if text.Lang(lang) == text.EN {
		prefix = "Payment: "
	}
	return text.Clip(prefix+strings.TrimSpace(merchantName), max)
}

// CheckRefund is the product's rule for a refund's amount, before any bank
// is asked: more than nothing and no more than the check's amount, or
// errs.Invalid.
func CheckRefund(ref check.Ref, amount money.Amount) error {
	if amount <= 0 || amount > ref.Amount {
		return errs.E(errs.Invalid, "refund amount %s is not within the check's %s", amount.Decimal(), ref.Amount.Decimal())
	}
	return nil
}
