package liqpay

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Payment is the decoded data of a server callback, and the answer of the
// status and refund actions of /api/request (with Result "ok"). Field names
// follow https://www.liqpay.ua/documentation/en/api/callback. Amounts are
// decimal major units, written like LiqPay's examples (42.0, 7.34).
type Payment struct {
	Result             string      `json:"result,omitempty"`
	Action             string      `json:"action"`
	PaymentID          int64       `json:"payment_id"`
	Status             string      `json:"status"`
	Version            int         `json:"version"`
	Type               string      `json:"type"`
	PayType            string      `json:"paytype"`
	PublicKey          string      `json:"public_key"`
	AcqID              int64       `json:"acq_id"`
	OrderID            string      `json:"order_id"`
	LiqpayOrderID      string      `json:"liqpay_order_id"`
	Description        string      `json:"description"`
	SenderCardMask2    string      `json:"sender_card_mask2,omitempty"`
	SenderCardBank     string      `json:"sender_card_bank,omitempty"`
	SenderCardType     string      `json:"sender_card_type,omitempty"`
	SenderCardCountry  int         `json:"sender_card_country,omitempty"`
	Info               string      `json:"info,omitempty"`
	Amount             json.Number `json:"amount"`
	Currency           string      `json:"currency"`
	SenderCommission   json.Number `json:"sender_commission"`
	ReceiverCommission json.Number `json:"receiver_commission"`
	AgentCommission    json.Number `json:"agent_commission"`
	AmountDebit        json.Number `json:"amount_debit"`
	AmountCredit       json.Number `json:"amount_credit"`
	CurrencyDebit      string      `json:"currency_debit"`
	CurrencyCredit     string      `json:"currency_credit"`
	Is3DS              bool        `json:"is_3ds"`
	Language           string      `json:"language,omitempty"`
	CreateDate         int64       `json:"create_date"`
	EndDate            int64       `json:"end_date"`
	TransactionID      int64       `json:"transaction_id"`
	RRNDebit           string      `json:"rrn_debit,omitempty"`
	AuthcodeDebit      string      `json:"authcode_debit,omitempty"`
	RefundAmount       json.Number `json:"refund_amount,omitempty"`
	RefundDateLast     int64       `json:"refund_date_last,omitempty"`
	ErrCode            string      `json:"err_code,omitempty"`
	ErrDescription     string      `json:"err_description,omitempty"`
}

// ErrorResponse is the answer of /api/request when the request fails.
type ErrorResponse struct {
	Result         string `json:"result"` // "error"
	Status         string `json:"status"` // "error"
	ErrCode        string `json:"err_code"`
	ErrDescription string `json:"err_description"`
}

// Error codes the fake answers with: invalid_signature, public_key_not_found
// and payment_not_found as https://www.liqpay.ua/en/doc/errors lists them;
// the others are the fake's choice where LiqPay documents none.
const (
	ErrCodeSignature     = "invalid_signature"
	ErrCodeData          = "invalid_data"
	ErrCodePublicKey     = "public_key_not_found"
	ErrCodeVersion       = "version_not_supported"
	ErrCodeAction        = "action_not_supported"
	ErrCodeParam         = "invalid_param"
	ErrCodeNotFound      = "payment_not_found"
	ErrCodeDuplicate     = "order_id_duplicate"
	ErrCodeRefundAmount  = "wrong_amount"
	ErrCodeNotRefundable = "payment_not_refundable"
	ErrCodeExpired       = "order_expired"
)

// formatAmount writes minor units as LiqPay does: 4200 as 42.0, 734 as
// 7.34, 730 as 7.3.
func formatAmount(kop int64) json.Number {
	s := fmt.Sprintf("%d.%02d", kop/100, kop%100)
	s = strings.TrimSuffix(s, "0")
	return json.Number(s)
}

// parseAmount reads a LiqPay amount, a JSON number or string in major units
// with at most two decimals, into minor units without going through float.
func parseAmount(v any) (int64, bool) {
	var s string
	switch x := v.(type) {
	case json.Number:
		s = string(x)
	case string:
		s = x
	default:
		return 0, false
	}
	whole, frac, dot := strings.Cut(s, ".")
	if whole == "" || (dot && frac == "") || len(whole) > 12 || len(frac) > 2 || strings.Trim(whole+frac, "0123456789") != "" {
		return 0, false
	}
	for len(frac) < 2 {
		frac += "0"
	}
	n, err := strconv.ParseInt(whole+frac, 10, 64)
	return n, err == nil
}

// isOne reports a sandbox-style flag: 1 or "1".
func isOne(v any) bool {
	switch x := v.(type) {
	case json.Number:
		return x == "1"
	case string:
		return x == "1"
	}
	return false
}
