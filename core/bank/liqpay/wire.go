package liqpay

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/paylastic/edge/core/bank"
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
	// The card, as LiqPay masks it ("424242*42") and its type ("visa", "mc").
	SenderCardMask2 string `json:"sender_card_mask2"`
	SenderCardType  string `json:"sender_card_type"`
	ErrCode         string `json:"err_code"`
	ErrDescription  string `json:"err_description"`
}

// apiFailed reports whether an /api/request answer is a failed request
// rather than a payment: {"result":"error","status":"error",…}. A payment
// whose status is "error" carries its order_id.
func (p payment) apiFailed() bool {
	return p.Result == "error" || (p.Status == "error" && p.OrderID == "")
}

// statuses maps every payment status LiqPay documents to an attempt's
// (https://www.liqpay.ua/en/doc/callback, "status"; try_again from
// https://www.liqpay.ua/documentation/en/api/information/status/doc). Each
// row is a decision:
//   - success; wait_accept (the buyer's money is taken, LiqPay has not
//     verified the shop yet, and returns it after 60 days if it never does);
//     wait_compensation (successful, paid out in the daily settlement): the
//     money is taken, so the cashier is told it is paid. The bank's status is
//     kept on the attempt (check.Event.BankStatus) where it is not success.
//   - sandbox: a successful test payment: success in sandbox mode only (see
//     MapStatus).
//   - failure, error (the data was wrong), try_again (the buyer may retry
//     on the same page): this attempt failed.
//   - reversed: refunded.
//   - the *_verify family, wait_qr, wait_sender: the buyer has a step left.
//   - prepared, processing, wait_secure (under the bank's review), wait_card
//     (the receiver has no payout method set), wait_lc (a letter of credit:
//     released on delivery), wait_reserve (reserved for a refund), hold_wait
//     (a hold: the product never asks for one), cash_wait, invoice_wait: not
//     a final word on this payment yet: pending.
//   - subscribed, unsubscribed: final words on a subscription, which the
//     product never creates: no payment of ours to confirm: pending.
//
// Any other status is pending too, and logged (see known).
var statuses = map[string]check.AttemptStatus{
	"success":           check.AttemptSuccess,
	"wait_accept":       check.AttemptSuccess,
	"wait_compensation": check.AttemptSuccess,
	"sandbox":           check.AttemptSuccess,

	"failure":   check.AttemptFailure,
	"error":     check.AttemptFailure,
	"try_again": check.AttemptFailure,

	"reversed": check.AttemptReversed,

	"3ds_verify":       check.AttemptPending,
	"captcha_verify":   check.AttemptPending,
	"cvv_verify":       check.AttemptPending,
	"ivr_verify":       check.AttemptPending,
	"otp_verify":       check.AttemptPending,
	"password_verify":  check.AttemptPending,
	"phone_verify":     check.AttemptPending,
	"pin_verify":       check.AttemptPending,
	"receiver_verify":  check.AttemptPending,
	"sender_verify":    check.AttemptPending,
	"senderapp_verify": check.AttemptPending,
	"p24_verify":       check.AttemptPending,
	"mp_verify":        check.AttemptPending,
	"wait_qr":          check.AttemptPending,
	"wait_sender":      check.AttemptPending,

	"prepared":     check.AttemptPending,
	"processing":   check.AttemptPending,
	"wait_secure":  check.AttemptPending,
	"wait_card":    check.AttemptPending,
	"wait_lc":      check.AttemptPending,
	"wait_reserve": check.AttemptPending,
	"hold_wait":    check.AttemptPending,
	"cash_wait":    check.AttemptPending,
	"invoice_wait": check.AttemptPending,

	"subscribed":   check.AttemptPending,
	"unsubscribed": check.AttemptPending,
}

// MapStatus returns the attempt status for a LiqPay payment status; sandbox
// says whether the merchant's keys are in sandbox mode. ok is false for
// "sandbox" outside sandbox mode: a test payment for a live merchant. A
// status LiqPay does not document is pending.
func MapStatus(status string, sandbox bool) (st check.AttemptStatus, ok bool) {
	if status == "sandbox" {
		return check.AttemptSuccess, sandbox
	}
	if st, found := statuses[status]; found {
		return st, true
	}
	return check.AttemptPending, true
}

// known reports whether LiqPay documents status (statuses).
func known(status string) bool {
	_, ok := statuses[status]
	return ok
}

// bankStatus is the LiqPay status kept on an attempt: the ones that say more
// than the attempt's status (wait_accept and wait_compensation are success
// with the money not yet paid out to the shop), "" for the others.
func bankStatus(status string) string {
	if status == "wait_accept" || status == "wait_compensation" {
		return status
	}
	return ""
}

// card is the paying card as the receipt shows it.
func (p payment) card() string { return bank.Card(p.SenderCardMask2, p.SenderCardType) }

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
	return bank.ClipReason(text)
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
