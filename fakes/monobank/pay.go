package monobank

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/paylastic/edge/fakes/internal/fakebank"
)

// Test cards of the hosted page. Any other number that passes the Luhn check
// succeeds, as in monobank's test environment.
const (
	CardSuccess = "4242424242424242"
	CardDecline = "4000000000000002"
)

// failureReasons are a few rows of the docs' "Помилки в процесі оплати"
// table: errCode to failureReason.
var failureReasons = map[string]string{
	"6":    "Операцію заблоковано банком-емітентом",
	"59":   "На картці недостатньо коштів для завершення покупки",
	"80":   "Неправильний CVV код (3 цифри на звороті картки)",
	"1034": "3-D Secure перевірку не пройдено",
}

const defaultFailureCode = "59"

type outcome struct {
	success   bool
	reason    string
	errCode   string
	maskedPan string
	system    string
}

// Pay settles a created invoice as if the buyer had paid on the hosted page
// with a test card: success, or failure with reason as failureReason. An
// empty reason means errCode 59 ("На картці недостатньо коштів…"); a reason
// that is a text of the docs' error table gets that row's errCode, any other
// reason none.
//
// Pay sends the "processing" and then the final webhook, unless dropped, and
// returns after the receiver has answered them; delivery failures are in
// Webhooks, not the error. It returns ErrUnknownInvoice, or ErrNotPayable when
// the invoice is not "created" (already paid, failed, expired or removed).
func (s *Server) Pay(invoiceID string, success bool, reason string) error {
	o := outcome{success: success, maskedPan: maskPan(CardSuccess), system: "visa"}
	if !success {
		o.errCode, o.reason = defaultFailureCode, failureReasons[defaultFailureCode]
		if reason != "" {
			o.errCode, o.reason = "", reason
			for code, text := range failureReasons {
				if text == reason {
					o.errCode = code
				}
			}
		}
	}
	return s.pay(context.Background(), invoiceID, o)
}

func (s *Server) pay(ctx context.Context, id string, o outcome) error {
	s.mu.Lock()
	inv, ok := s.invoices[id]
	if !ok {
		s.mu.Unlock()
		return fmt.Errorf("pay %s: %w", id, ErrUnknownInvoice)
	}
	s.expireLocked(inv, s.now())
	if inv.Status != "created" {
		st := inv.Status
		s.mu.Unlock()
		return fmt.Errorf("pay %s: status %s: %w", id, st, ErrNotPayable)
	}
	inv.Status = "processing"
	inv.PaymentInfo = &PaymentInfo{MaskedPan: o.maskedPan, PaymentSystem: o.system, PaymentMethod: "pan"}
	s.touchLocked(inv)
	first := s.notifyLocked(inv)
	s.mu.Unlock()

	s.deliver(ctx, first)

	s.mu.Lock()
	pi := *inv.PaymentInfo
	if o.success {
		inv.Status, inv.FinalAmount = "success", inv.Amount
		pi.ApprovalCode = fakebank.ID(s.rand(), 6, "0123456789")
		pi.RRN = fakebank.ID(s.rand(), 12, "0123456789")
		pi.TranID = fakebank.ID(s.rand(), 8, "0123456789")
		pi.Terminal, pi.Bank, pi.Country = "MI001088", "Fake Bank", "804"
		pi.Fee = int64(math.Round(float64(inv.Amount) * 0.013))
	} else {
		inv.Status, inv.FailureReason, inv.ErrCode = "failure", o.reason, o.errCode
	}
	inv.PaymentInfo = &pi
	s.touchLocked(inv)
	final := s.notifyLocked(inv)
	s.mu.Unlock()

	s.deliver(ctx, final)
	return nil
}

// cardOutcome decides a payment by card number. ok is false for a number
// that is not 12 to 19 digits passing the Luhn check.
func cardOutcome(number string) (o outcome, ok bool) {
	pan, ok := fakebank.PAN(number)
	if !ok {
		return outcome{}, false
	}
	o = outcome{success: true, maskedPan: maskPan(pan), system: fakebank.Scheme(pan)}
	if pan == CardDecline {
		o.success, o.errCode, o.reason = false, defaultFailureCode, failureReasons[defaultFailureCode]
	}
	return o, true
}

// maskPan keeps the first 6 and last 4 digits, like "444403******1902".
func maskPan(pan string) string {
	return pan[:6] + strings.Repeat("*", len(pan)-10) + pan[len(pan)-4:]
}
