package monobank

import (
	"context"
	"fmt"
	"net/http"

	"github.com/paylastic/edge/core/bank"
	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/merchant"
	"github.com/paylastic/edge/core/money"
)

// Cancel withdraws the attempt's unpaid invoice (POST invoice/remove), so
// the buyer can no longer pay a cancelled check. An invoice the bank does
// not know is nothing to withdraw; one already paid or being paid is an
// error (its webhook still reaches the check: a cancelled check can be paid).
func (b *Bank) Cancel(ctx context.Context, m merchant.Merchant, ref check.Ref, a check.Attempt) error {
	cr, err := b.credentials(m)
	if err != nil {
		return fmt.Errorf("monobank cancel: %w", err)
	}
	err = b.call(ctx, cr.Token, http.MethodPost, "/api/merchant/invoice/remove", map[string]string{"invoiceId": a.ProviderRef}, nil)
	if status, _ := apiCode(err); status == http.StatusNotFound {
		return nil
	}
	if err != nil {
		return fmt.Errorf("monobank invoice/remove %s: %w", a.ProviderRef, err)
	}
	return nil
}

// cancelRequest is the body of POST invoice/cancel.
type cancelRequest struct {
	InvoiceID string `json:"invoiceId"`
	ExtRef    string `json:"extRef"`
	Amount    int64  `json:"amount"`
}

// cancelResponse is its answer.
type cancelResponse struct {
	Status string `json:"status"` // processing, success, failure
}

// Refund returns amount of the attempt's successful payment (POST
// invoice/cancel; extRef is "refund-" and the check's id). The bank may
// settle it at once ("success") or later ("processing"); either way it is
// accepted, and the bank reports the reversal with a webhook and in
// invoice/status (the product's scheduled pass asks, in case the webhook is
// lost). A refund the bank refuses (already refunded, a wrong amount,
// status failure) is errs.Conflict.
func (b *Bank) Refund(ctx context.Context, m merchant.Merchant, ref check.Ref, a check.Attempt, amount money.Amount) error {
	if err := bank.CheckRefund(ref, amount); err != nil {
		return err
	}
	cr, err := b.credentials(m)
	if err != nil {
		return fmt.Errorf("monobank refund: %w", err)
	}
	var resp cancelResponse
	req := cancelRequest{InvoiceID: a.ProviderRef, ExtRef: "refund-" + ref.ID, Amount: int64(amount)}
	err = b.call(ctx, cr.Token, http.MethodPost, "/api/merchant/invoice/cancel", req, &resp)
	if status, code := apiCode(err); status == http.StatusBadRequest && code == "WRONG_CANCEL_AMOUNT" {
		return errs.Wrap(errs.Conflict, err, "monobank refused the refund: already refunded or a wrong amount")
	}
	if err != nil {
		return fmt.Errorf("monobank invoice/cancel %s: %w", a.ProviderRef, err)
	}
	if resp.Status == "failure" {
		return errs.E(errs.Conflict, "monobank refused the refund of %s", a.ProviderRef)
	}
	return nil
}
