package monobank

import (
	"context"
	"encoding/json"

	"github.com/paylastic/edge/core/bank"
	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/money"
)

// Callback authenticates a monobank webhook
// (https://api.monobank.ua/docs/acquiring.html, "Верифікація підпису").
//
// The check, and so the merchant whose token's key must verify X-Sign, is
// named by the token reference in the webhook URL's query (?ref=, see
// WebhookURL, which every invoice we create carries), so nothing of an
// unverified body is read. A missing reference or one that is not a token of ours, a merchant
// without monobank credentials, or a signature that verifies neither with
// the cached key nor with one fetched anew is errs.Unauthorized. Only then is
// the body parsed: it must be for the same reference and in hryvnias
// (errs.Invalid otherwise). Stale webhooks (an older modifiedDate than the
// attempt's last) are dropped by check.State.Apply, not here.
func (b *Bank) Callback(ctx context.Context, c bank.Callback) (bank.Notification, error) {
	token := c.Query.Get("ref")
	m, err := b.env.MerchantOf(ctx, token, "monobank webhook")
	if err != nil {
		return bank.Notification{}, err
	}
	cr, err := b.credentials(m)
	if err != nil {
		return bank.Notification{}, errs.Wrap(errs.Unauthorized, err, "cannot verify the monobank webhook")
	}
	if err := b.verify(ctx, cr.Token, c.Body, c.Header.Get("X-Sign")); err != nil {
		return bank.Notification{}, err
	}
	var st statusBody
	if err := json.Unmarshal(c.Body, &st); err != nil {
		return bank.Notification{}, errs.Wrap(errs.Invalid, err, "malformed monobank webhook")
	}
	switch {
	case st.InvoiceID == "" || st.Status == "":
		return bank.Notification{}, errs.E(errs.Invalid, "monobank webhook without invoiceId or status")
	case st.Reference != token:
		return bank.Notification{}, errs.E(errs.Invalid, "monobank webhook reference does not match its URL")
	case st.Ccy != ccyUAH:
		return bank.Notification{}, errs.E(errs.Invalid, "monobank webhook in ccy %d, not hryvnias", st.Ccy)
	}
	b.logUnknown(st, "webhook")
	ev, err := st.event()
	if err != nil {
		return bank.Notification{}, errs.Wrap(errs.Invalid, err, "malformed monobank webhook")
	}
	return bank.Notification{
		Token:  token,
		Event:  ev,
		Amount: money.Amount(st.Amount),
		ID:     st.InvoiceID + "/" + st.Status + "/" + st.ModifiedDate,
	}, nil
}
