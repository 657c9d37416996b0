package monobank

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"github.com/paylastic/edge/core/bank"
	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/errs"
)

// createRequest is the body of POST /api/merchant/invoice/create.
type createRequest struct {
	Amount           int64            `json:"amount"`
	Ccy              int              `json:"ccy"`
	MerchantPaymInfo merchantPaymInfo `json:"merchantPaymInfo"`
	RedirectURL      string           `json:"redirectUrl"`
	WebHookURL       string           `json:"webHookUrl"`
	Validity         int64            `json:"validity"`
	PaymentType      string           `json:"paymentType"`
}

type merchantPaymInfo struct {
	Reference   string `json:"reference"`
	Destination string `json:"destination"`
}

// createResponse is its answer.
type createResponse struct {
	InvoiceID string `json:"invoiceId"`
	PageURL   string `json:"pageUrl"`
}

// maxDestination bounds the payment purpose shown to the payer (monobank
// documents no limit; fiscal receipts cut long texts).
const maxDestination = 120

// Start creates an invoice for the attempt (POST invoice/create) and sends
// the buyer to its pageUrl. The invoice carries the check's token reference
// as merchantPaymInfo.reference, lives until the check expires (validity)
// and returns the buyer to c.ResultURL. monobank has no idempotency key:
// starting the same attempt twice creates two invoices, of which the caller
// records one; a payment of the other still reaches the check through its
// webhook, which names the check by reference.
func (b *Bank) Start(ctx context.Context, c bank.Checkout) (bank.Payment, error) {
	cr, err := b.credentials(c.Merchant)
	if err != nil {
		return bank.Payment{}, fmt.Errorf("monobank start: %w", err)
	}
	now := b.env.Now().UTC()
	validity := int64(c.Valid.Sub(now).Seconds())
	if validity <= 0 {
		return bank.Payment{}, errs.E(errs.Conflict, "the check has expired")
	}
	req := createRequest{
		Amount: int64(c.Ref.Amount),
		Ccy:    ccyUAH,
		MerchantPaymInfo: merchantPaymInfo{
			Reference:   c.Token,
			Destination: bank.Purpose(c.Merchant.Name, c.Lang, maxDestination),
		},
		RedirectURL: c.ResultURL,
		WebHookURL:  bank.CallbackURL(c.CallbackURL, c.Token),
		Validity:    validity,
		PaymentType: "debit",
	}
	var resp createResponse
	if err := b.call(ctx, cr.Token, http.MethodPost, "/api/merchant/invoice/create", req, &resp); err != nil {
		return bank.Payment{}, fmt.Errorf("monobank invoice/create: %w", err)
	}
	if resp.InvoiceID == "" || !webURL(resp.PageURL) {
		return bank.Payment{}, errs.E(errs.Unavailable, "monobank invoice/create: answer without invoiceId or a usable pageUrl")
	}
	return bank.Payment{
		Attempt: check.Attempt{
			Provider:    Name,
			ProviderRef: resp.InvoiceID,
			PayURL:      resp.PageURL,
			Status:      check.AttemptPending,
			Created:     now,
			Valid:       c.Valid.UTC(),
		},
		Redirect: bank.Redirect{URL: resp.PageURL},
	}, nil
}

// webURL reports whether s is an absolute http(s) URL: the only thing the
// buyer may be redirected to.
func webURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

// Resume sends the buyer back to the invoice's page (its pageUrl).
func (b *Bank) Resume(_ context.Context, _ bank.Checkout, a check.Attempt) (bank.Redirect, error) {
	return bank.ResumeAt(a)
}
