package monobank

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

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
}

// statuses maps monobank's invoice status to an attempt's. created,
// processing and hold (not used: paymentType is always debit) are not a
// final word yet; expired comes from invoice/status only, the bank sends no
// webhook for it. An unknown status is taken for pending: it changes nothing.
var statuses = map[string]check.AttemptStatus{
	"created":    check.AttemptPending,
	"processing": check.AttemptPending,
	"hold":       check.AttemptPending,
	"success":    check.AttemptSuccess,
	"failure":    check.AttemptFailure,
	"reversed":   check.AttemptReversed,
	"expired":    check.AttemptExpired,
}

// MapStatus returns the attempt status for a monobank invoice status.
func MapStatus(s string) check.AttemptStatus {
	if st, ok := statuses[s]; ok {
		return st
	}
	return check.AttemptPending
}

// event is what a status body says about the attempt.
func (s statusBody) event() (check.Event, error) {
	ev := check.Event{Provider: Name, ProviderRef: s.InvoiceID, Status: MapStatus(s.Status)}
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
	if utf8.RuneCountInString(text) > maxReason {
		text = string([]rune(text)[:maxReason-1]) + "…"
	}
	return text
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
	ev, err = st.event()
	if err != nil {
		return ev, fmt.Errorf("monobank invoice/status %s: %w", a.ProviderRef, err)
	}
	return ev, nil
}
