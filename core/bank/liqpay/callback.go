package liqpay

import (
	"context"
	"fmt"
	"net/url"

	"github.com/paylastic/edge/core/bank"
	"github.com/paylastic/edge/core/bank/liqpay/sign"
	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/errs"
)

// Callback authenticates a LiqPay server callback
// (https://www.liqpay.ua/documentation/en/api/callback): a form with data
// and signature.
//
// The check, and so the merchant whose private key must verify the
// signature, is named by the token reference in server_url's query (?ref=,
// see ServerURL, which every order we create carries), so nothing of unverified
// data is decoded. A missing reference or one that is not a token of ours, a merchant
// without LiqPay credentials or a signature that does not match the received
// data string (compared in constant time) is errs.Unauthorized. Only then is
// data decoded: it must be for the merchant's public key, for an order of
// the same check, in hryvnias, and not a sandbox payment for a live merchant
// (errs.Invalid otherwise). Late and repeated callbacks change nothing:
// check.State.Apply never moves an attempt backwards.
func (b *Bank) Callback(ctx context.Context, c bank.Callback) (bank.Notification, error) {
	token := c.Query.Get("ref")
	m, err := b.env.MerchantOf(ctx, token, "liqpay callback")
	if err != nil {
		return bank.Notification{}, err
	}
	form, err := url.ParseQuery(string(c.Body))
	if err != nil {
		return bank.Notification{}, errs.E(errs.Unauthorized, "liqpay callback is not a form")
	}
	data, signature := form.Get("data"), form.Get("signature")
	if data == "" || signature == "" {
		return bank.Notification{}, errs.E(errs.Unauthorized, "liqpay callback without data or signature")
	}
	cr, err := b.credentials(m)
	if err != nil {
		return bank.Notification{}, errs.Wrap(errs.Unauthorized, err, "cannot verify the liqpay callback")
	}
	if err := sign.Verify(cr.PrivateKey, data, signature); err != nil {
		return bank.Notification{}, errs.Wrap(errs.Unauthorized, err, "bad liqpay signature")
	}
	var p payment
	if err := sign.Decode(data, &p); err != nil {
		return bank.Notification{}, errs.Wrap(errs.Invalid, err, "malformed liqpay callback")
	}
	n, err := b.notification(p, cr, token)
	if err != nil {
		return bank.Notification{}, err
	}
	return n, nil
}

// notification checks an authentic callback's payment and says what it
// means for the attempt.
func (b *Bank) notification(p payment, cr Credentials, token string) (bank.Notification, error) {
	orderToken, ok := splitOrderID(p.OrderID)
	switch {
	case p.PublicKey != cr.PublicKey:
		return bank.Notification{}, errs.E(errs.Invalid, "liqpay callback for another public key")
	case !ok || orderToken != token:
		return bank.Notification{}, errs.E(errs.Invalid, "liqpay callback order_id does not match its URL")
	case p.Currency != "UAH":
		return bank.Notification{}, errs.E(errs.Invalid, "liqpay callback in %.8q, not UAH", p.Currency)
	}
	amount, ok := ParseAmount(p.Amount.String())
	if !ok || amount <= 0 {
		return bank.Notification{}, errs.E(errs.Invalid, "liqpay callback amount %.20q", p.Amount.String())
	}
	st, ok := MapStatus(p.Status, cr.Sandbox)
	if !ok {
		return bank.Notification{}, errs.E(errs.Invalid, "liqpay sandbox payment for a merchant not in sandbox mode")
	}
	n := bank.Notification{
		Token:  token,
		Amount: amount,
		ID:     fmt.Sprintf("%s/%s/%s", p.PaymentID, p.Action, p.Status),
	}
	n.Event.Provider = Name
	n.Event.ProviderRef = p.OrderID
	n.Event.Status = st
	n.Event.Modified = p.modified()
	n.Event.Card, n.Event.BankStatus = p.card(), bankStatus(p.Status)
	b.logUnknown(p, "callback")
	if st == check.AttemptFailure {
		n.Event.Reason = p.reason()
	}
	return n, nil
}
