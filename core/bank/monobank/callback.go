package monobank

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/paylastic/edge/core/bank"
	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/merchant"
	"github.com/paylastic/edge/core/money"
)

// Callback authenticates a monobank webhook
// (https://api.monobank.ua/docs/acquiring.html, "Верифікація підпису").
//
// The check, and so the merchant whose token's key must verify X-Sign, is
// named by the link reference in the webhook URL's query (?ref=, see
// WebhookURL, which every invoice we create carries), so nothing of an
// unverified body is read. A missing reference or one that is not a link of ours, a merchant
// without monobank credentials, or a signature that verifies neither with
// the cached key nor with one fetched anew is errs.Unauthorized. Only then is
// the body parsed: it must be for the same reference and in hryvnias
// (errs.Invalid otherwise). Stale webhooks (an older modifiedDate than the
// attempt's last) are dropped by check.State.Apply, not here.
func (b *Bank) Callback(ctx context.Context, c bank.Callback) (bank.Notification, error) {
	link := c.Query.Get("ref")
	m, err := b.merchantOf(ctx, link)
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
	case st.Reference != link:
		return bank.Notification{}, errs.E(errs.Invalid, "monobank webhook reference does not match its URL")
	case st.Ccy != ccyUAH:
		return bank.Notification{}, errs.E(errs.Invalid, "monobank webhook in ccy %d, not hryvnias", st.Ccy)
	}
	ev, err := st.event()
	if err != nil {
		return bank.Notification{}, errs.Wrap(errs.Invalid, err, "malformed monobank webhook")
	}
	return bank.Notification{
		Token:  link,
		Event:  ev,
		Amount: money.Amount(st.Amount),
		ID:     st.InvoiceID + "/" + st.Status + "/" + st.ModifiedDate,
	}, nil
}

// merchantOf finds the merchant a link reference names. A reference that is
// not ours is errs.Unauthorized: nothing can verify the webhook. A merchant
// that is not visible here is errs.Unavailable: the link is signed, so the
// merchant exists and KV has not caught up yet; the bank retries.
func (b *Bank) merchantOf(ctx context.Context, link string) (merchant.Merchant, error) {
	ref, err := b.env.Signer.Decode(link)
	if err != nil {
		return merchant.Merchant{}, errs.E(errs.Unauthorized, "monobank webhook for no check of ours")
	}
	m, err := b.env.Merchants.Get(ctx, ref.Merchant)
	if err != nil {
		if errs.CodeOf(err) == errs.NotFound {
			return m, errs.Wrap(errs.Unavailable, err, "merchant not visible yet")
		}
		return m, fmt.Errorf("monobank webhook: %w", err)
	}
	return m, nil
}
