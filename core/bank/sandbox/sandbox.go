// Package sandbox is the built-in sandbox bank (SANDBOX_BANK=1): a hosted
// card page under /sandbox/pay/{order} served by the product itself, which
// behaves like a real acquirer. It is the one place where card data reaches
// PayLastic, and it never logs or stores it: its records keep the last four
// digits only.
//
// The page is a form with the fields card, exp (MM/YY) and cvv and a button
// «Хочу оплатити». Card 4242 4242 4242 4242 succeeds, 4000 0000 0000 0002 is
// declined ("Недостатньо коштів"), 4000 0000 0000 9995 is declined
// ("Операцію відхилено банком"), any other number that passes the Luhn
// check succeeds, and a number that fails it is refused on the form.
//
// On a payment the bank writes its record sb:{payment} to KV, POSTs a signed
// server callback to the callback URL it was given, and sends the buyer
// (303) to the result URL. The callback body is JSON (see callbackBody);
// the header X-Sandbox-Signature is the hex HMAC-SHA256 of the raw body with
// a key derived from LINK_SECRET. Status answers from the records, so a lost
// callback is found by the result page or the scheduled pass.
//
// Starting a payment writes nothing: the page's address carries the order,
// signed, as a real bank's page id names the order in its database.
package sandbox

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/paylastic/edge/core/bank"
	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/ids"
	"github.com/paylastic/edge/core/kv"
	"github.com/paylastic/edge/core/merchant"
)

// Name is the provider's name in merchant records, attempts and routes.
const Name = "sandbox"

// SignatureHeader carries the callback's signature.
const SignatureHeader = "X-Sandbox-Signature"

const (
	// MaxAge is how old a callback's timestamp may be; older ones are
	// refused as replays.
	MaxAge = 10 * time.Minute
	// maxSkew is how far in the future a callback's timestamp may be.
	maxSkew = 5 * time.Minute
	// grace is how long after its page closes an unpaid payment is still
	// reported pending: its record, if the buyer paid at the last moment
	// in another location, may take a minute to show here.
	grace = 3 * time.Minute
	// retention is how long the bank keeps its records.
	retention = 35 * 24 * time.Hour
	// paymentBytes is the size of a payment id.
	paymentBytes = 16
)

// Bank is the sandbox bank.
type Bank struct {
	env      bank.Env
	orderKey []byte // signs the orders in page addresses
	hookKey  []byte // signs callbacks
}

var _ bank.Provider = (*Bank)(nil)

// New returns the sandbox bank. Its keys are derived from env.Signer's key
// (LINK_SECRET); it parses nothing until a page is shown.
func New(env bank.Env) *Bank {
	env = env.WithDefaults()
	return &Bank{
		env:      env,
		orderKey: ids.Derive(env.Signer.Key(), 32, "sandbox", "order"),
		hookKey:  CallbackKey(env.Signer),
	}
}

// CallbackKey is the HMAC-SHA256 key of the sandbox's callbacks, derived
// from the link signer's key (LINK_SECRET). Tests use it to forge nothing
// but well-signed callbacks.
func CallbackKey(s check.Signer) []byte { return ids.Derive(s.Key(), 32, "sandbox", "callback") }

// PaymentID is the sandbox's id of attempt seq at the check: derived, so
// starting the same attempt twice gives the same payment, which can be paid
// once.
func (b *Bank) PaymentID(checkID string, seq int) string {
	return ids.Encode(ids.Derive(b.orderKey, paymentBytes, "payment", checkID, strconv.Itoa(seq)))
}

// Start returns the address of the sandbox's card page for the attempt.
func (b *Bank) Start(ctx context.Context, c bank.Checkout) (bank.Payment, error) {
	o := order{
		Payment:  b.PaymentID(c.Ref.ID, c.Seq),
		Token:    c.Token,
		Amount:   c.Ref.Amount,
		Merchant: c.Merchant.Name,
		Return:   c.ResultURL,
		Callback: c.CallbackURL,
		Valid:    c.Valid.Unix(),
		Lang:     c.Lang,
	}
	tok, err := b.encodeOrder(o)
	if err != nil {
		return bank.Payment{}, fmt.Errorf("sandbox start: %w", err)
	}
	url := b.env.BaseURL + "/sandbox/pay/" + tok
	now := b.env.Now().UTC()
	return bank.Payment{
		Attempt: check.Attempt{
			Provider:    Name,
			ProviderRef: o.Payment,
			PayURL:      url,
			Status:      check.AttemptPending,
			Created:     now,
			Valid:       c.Valid.UTC(),
			Test:        true, // no real money: every notice, list and page says so
		},
		Redirect: bank.Redirect{URL: url},
	}, nil
}

// Status answers from the bank's record of the attempt: its outcome once the
// buyer paid or was declined, pending before, expired once the page has
// been closed a while with nothing paid. A record of another check or amount
// is an error.
func (b *Bank) Status(ctx context.Context, m merchant.Merchant, ref check.Ref, a check.Attempt) (check.Event, error) {
	ev := check.Event{Provider: Name, ProviderRef: a.ProviderRef, Status: check.AttemptPending, Test: true}
	rec, err := b.record(ctx, a.ProviderRef)
	if errors.Is(err, kv.ErrNotFound) {
		valid := a.Valid
		if valid.IsZero() {
			valid = ref.Expires
		}
		if now := b.env.Now(); !now.Before(valid.Add(grace)) {
			ev.Status = check.AttemptExpired
			ev.Modified = valid.UTC()
		}
		return ev, nil
	}
	if err != nil {
		return ev, errs.Wrap(errs.Unavailable, err, "sandbox bank unavailable")
	}
	if rec.Check != ref.ID || rec.Amount != ref.Amount {
		return ev, fmt.Errorf("sandbox payment %s is not for check %s", a.ProviderRef, ref.ID)
	}
	ev.Status, ev.Reason, ev.Modified, ev.Card = rec.Status, rec.Reason, rec.Modified, maskLast4(rec.Last4)
	return ev, nil
}

// Cancel closes an unpaid payment's page, so it cannot be paid any more. A
// payment already decided is left as it is.
func (b *Bank) Cancel(ctx context.Context, m merchant.Merchant, ref check.Ref, a check.Attempt) error {
	_, err := b.record(ctx, a.ProviderRef)
	if err == nil {
		return nil
	}
	if !errors.Is(err, kv.ErrNotFound) {
		return fmt.Errorf("sandbox cancel: %w", err)
	}
	now := b.env.Now().UTC()
	rec := record{Payment: a.ProviderRef, Check: ref.ID, Amount: ref.Amount, Status: check.AttemptExpired, Reason: "Скасовано магазином", Created: now, Modified: now}
	if err := b.putRecord(ctx, rec); err != nil {
		return fmt.Errorf("sandbox cancel: %w", err)
	}
	return nil
}

// Resume sends the buyer back to the attempt's card page.
func (b *Bank) Resume(_ context.Context, _ bank.Checkout, a check.Attempt) (bank.Redirect, error) {
	return bank.ResumeAt(a)
}

// CheckCredentials refuses credentials: the sandbox takes none.
func (b *Bank) CheckCredentials(raw []byte) ([]byte, error) { return bank.NoCredentials(Name, raw) }

// MaskCredentials shows nothing: the sandbox has no credentials.
func (b *Bank) MaskCredentials([]byte) map[string]string { return nil }

// VerifyCredentials has nothing to ask: the sandbox takes no credentials.
func (b *Bank) VerifyCredentials(context.Context, []byte) error { return nil }
