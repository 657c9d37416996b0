package monobank

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/paylastic/edge/core/bank"
	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/merchant"
	"github.com/paylastic/edge/core/money"
)

// statusBody is the answer of GET invoice/status and the body of every
// webhook (the fields the product reads).
type statusBody struct {
	InvoiceID     string `json:"invoiceId"`
	Status        string `json:"status"`
	FailureReason string `json:"failureReason"`
	ErrCode       string `json:"errCode"`
	Amount        int64  `json:"amount"`
	Ccy           int    `json:"ccy"`
	ModifiedDate  string `json:"modifiedDate"`
	Reference     string `json:"reference"`
	PaymentInfo   struct {
		MaskedPan     string `json:"maskedPan"`     // "444403******1902"
		PaymentSystem string `json:"paymentSystem"` // "visa", "mastercard"
	} `json:"paymentInfo"`
}

// statuses maps every invoice status monobank documents
// (https://api.monobank.ua/docs/acquiring.html, InvoiceStatusResponse
// "status") to an attempt's. Each row is a decision:
//   - created (awaiting payment), processing: not a final word yet.
//   - hold (the amount is blocked for paymentType=hold): pending; the product
//     always asks for debit, so a hold is nothing to tell the cashier about.
//   - success: paid. failure: this invoice failed (a new attempt is a new
//     invoice). reversed: refunded.
//   - expired: its validity ran out; it comes from invoice/status only, the
//     bank sends no webhook for it.
//
// Any other status is pending: it changes nothing, and Status and Callback
// log it.
var statuses = map[string]check.AttemptStatus{
	"created":    check.AttemptPending,
	"processing": check.AttemptPending,
	"hold":       check.AttemptPending,
	"success":    check.AttemptSuccess,
	"failure":    check.AttemptFailure,
	"reversed":   check.AttemptReversed,
	"expired":    check.AttemptExpired,
}

// MapStatus returns the attempt status for a monobank invoice status; one
// monobank does not document is pending.
func MapStatus(s string) check.AttemptStatus {
	if st, ok := statuses[s]; ok {
		return st
	}
	return check.AttemptPending
}

// logUnknown logs an invoice status monobank does not document: it is taken
// for pending, and someone should look at what it means.
func (b *Bank) logUnknown(s statusBody, via string) {
	if _, ok := statuses[s.Status]; !ok {
		b.env.Log.Warn("monobank status not documented, taken as pending", "status", s.Status, "invoice", s.InvoiceID, "via", via)
	}
}

// event is what a status body says about the attempt.
func (s statusBody) event() (check.Event, error) {
	ev := check.Event{Provider: Name, ProviderRef: s.InvoiceID, Status: MapStatus(s.Status),
		Card: bank.Card(s.PaymentInfo.MaskedPan, s.PaymentInfo.PaymentSystem)}
	if s.ModifiedDate != "" {
		t, err := time.Parse(time.RFC3339Nano, s.ModifiedDate)
		if err != nil {
			return ev, fmt.Errorf("modifiedDate %.40q: %w", s.ModifiedDate, err)
		}
		ev.Modified = t.UTC()
	}
	if ev.Status == check.AttemptFailure {
		ev.Reason = reason(s.FailureReason, s.ErrCode)
	}
	return ev, nil
}

// reason is the failure reason kept and shown: monobank's text, bounded, or
// its error code when it gives no text.
func reason(text, code string) string {
	text = strings.TrimSpace(text)
	if text == "" && code != "" {
		text = "errCode " + code
	}
	return bank.ClipReason(text)
}

// Status asks invoice/status where the attempt's invoice stands. The answer
// must be for the check (its reference is the check's token reference) and
// for its amount in hryvnias, or it is an error.
func (b *Bank) Status(ctx context.Context, m merchant.Merchant, ref check.Ref, a check.Attempt) (check.Event, error) {
	ev := check.Event{Provider: Name, ProviderRef: a.ProviderRef, Status: check.AttemptPending}
	cr, err := b.credentials(m)
	if err != nil {
		return ev, fmt.Errorf("monobank status: %w", err)
	}
	token, err := b.env.Signer.Encode(ref)
	if err != nil {
		return ev, fmt.Errorf("monobank status: %w", err)
	}
	var st statusBody
	path := "/api/merchant/invoice/status?invoiceId=" + url.QueryEscape(a.ProviderRef)
	if err := b.call(ctx, cr.Token, http.MethodGet, path, nil, &st); err != nil {
		return ev, fmt.Errorf("monobank invoice/status: %w", err)
	}
	switch {
	case st.InvoiceID != a.ProviderRef:
		return ev, fmt.Errorf("monobank invoice/status: answer for invoice %.40q, asked %s", st.InvoiceID, a.ProviderRef)
	case st.Reference != token:
		return ev, errs.E(errs.Invalid, "monobank invoice %s is not for check %s", a.ProviderRef, ref.ID)
	case st.Ccy != ccyUAH || money.Amount(st.Amount) != ref.Amount:
		return ev, errs.E(errs.Invalid, "monobank invoice %s is for %d (ccy %d), not the check's %s", a.ProviderRef, st.Amount, st.Ccy, ref.Amount.Decimal())
	}
	b.logUnknown(st, "status")
	ev, err = st.event()
	if err != nil {
		return ev, fmt.Errorf("monobank invoice/status %s: %w", a.ProviderRef, err)
	}
	return ev, nil
}
