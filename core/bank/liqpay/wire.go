package liqpay

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/money"
)

// payment is the decoded data of a callback and the answer of action=status
// and action=refund (the fields the product reads;
// https://www.liqpay.ua/documentation/en/api/callback).
type payment struct {
	Result         string      `json:"result"` // "ok" or "error" (API answers)
	Action         string      `json:"action"`
	Status         string      `json:"status"`
	PublicKey      string      `json:"public_key"`
	OrderID        string      `json:"order_id"`
	PaymentID      json.Number `json:"payment_id"`
	Amount         json.Number `json:"amount"`
	Currency       string      `json:"currency"`
	CreateDate     int64       `json:"create_date"`      // ms since the epoch
	EndDate        int64       `json:"end_date"`         // ms
	RefundDateLast int64       `json:"refund_date_last"` // ms
	ErrCode        string      `json:"err_code"`
	ErrDescription string      `json:"err_description"`
}

// apiFailed reports whether an /api/request answer is a failed request
// rather than a payment: {"result":"error","status":"error",…}. A payment
// whose status is "error" carries its order_id.
func (p payment) apiFailed() bool {
	return p.Result == "error" || (p.Status == "error" && p.OrderID == "")
}

// statuses maps LiqPay's final payment statuses to an attempt's; every
// other status (processing, prepared, wait_*, hold_wait, the *_verify
// family, …) is not a final word yet, and is pending. "sandbox" is a
// successful test payment: success in sandbox mode only (see event).
var statuses = map[string]check.AttemptStatus{
	"success":   check.AttemptSuccess,
	"failure":   check.AttemptFailure,
	"error":     check.AttemptFailure,
	"try_again": check.AttemptFailure,
	"reversed":  check.AttemptReversed,
}

// MapStatus returns the attempt status for a LiqPay payment status; sandbox
// says whether the merchant's keys are in sandbox mode. ok is false for
// "sandbox" outside sandbox mode: a test payment for a live merchant.
func MapStatus(status string, sandbox bool) (st check.AttemptStatus, ok bool) {
	if status == "sandbox" {
		return check.AttemptSuccess, sandbox
	}
	if st, found := statuses[status]; found {
		return st, true
	}
	return check.AttemptPending, true
}

// modified is the latest time the payment reports.
func (p payment) modified() time.Time {
	ms := max(p.CreateDate, p.EndDate, p.RefundDateLast)
	if ms <= 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

// reason is the failure reason kept and shown.
func (p payment) reason() string {
	text := strings.TrimSpace(p.ErrDescription)
	if text == "" {
		text = p.ErrCode
	}
	if utf8.RuneCountInString(text) > maxReason {
		text = string([]rune(text)[:maxReason-1]) + "…"
	}
	return text
}

// ParseAmount reads a LiqPay amount (decimal hryvnias, "42", "42.0",
// "7.34") into kopiykas without going through float64. ok is false for
// anything else, negative amounts and more than two decimals.
func ParseAmount(s string) (money.Amount, bool) {
	whole, frac, dot := strings.Cut(s, ".")
	if whole == "" || len(whole) > 12 || (dot && (frac == "" || len(frac) > 2)) || strings.Trim(whole+frac, "0123456789") != "" {
		return 0, false
	}
	for len(frac) < 2 {
		frac += "0"
	}
	n, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil {
		return 0, false
	}
	return money.Amount(n), true
}

// OrderID is the LiqPay order of attempt seq at the check with token
// reference token: unique per attempt, at most 255 characters.
func OrderID(token string, seq int) string { return token + "-" + strconv.Itoa(seq) }

// splitOrderID returns the token reference of an order id made by OrderID.
func splitOrderID(id string) (token string, ok bool) {
	i := strings.LastIndexByte(id, '-')
	if i <= 0 || i == len(id)-1 {
		return "", false
	}
	if _, err := strconv.Atoi(id[i+1:]); err != nil {
		return "", false
	}
	return id[:i], true
}
