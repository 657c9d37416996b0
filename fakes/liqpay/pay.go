package liqpay

import (
	"context"
	"fmt"

	"github.com/paylastic/edge/fakes/internal/fakebank"
)

// Test cards of the hosted page, from LiqPay's sandbox page. Any other number
// that passes the Luhn check succeeds.
const (
	CardSuccess      = "4242424242424242"
	CardSuccess3DS   = "4000000000003063"
	CardSuccessOTP   = "4000000000003089"
	CardSuccessCVV   = "4000000000003055"
	CardDeclineLimit = "4000000000000002" // err_code limit
	CardDecline9859  = "4000000000009995" // err_code 9859
)

// failureCodes are the fake's err_code to err_description table. The codes
// are LiqPay's sandbox ones; the texts are the fake's own.
var failureCodes = map[string]string{
	"limit":       "Перевищено ліміт картки",
	"9859":        "Відмова банку-емітента",
	"err_payment": "Платіж не вдався",
}

type outcome struct {
	success  bool
	code     string
	desc     string
	mask     string
	cardType string
	is3DS    bool
}

// Pay settles the checkout with the merchant's orderID as if the buyer had
// paid on the hosted page with a test card: success (status "sandbox" when
// the checkout had sandbox=1) or failure. For a failure, reason is an
// err_code of the fake's table ("limit", "9859", "err_payment"; "" means
// "limit"), or else free text sent as err_description with err_code
// "err_payment".
//
// Pay sends the callback to server_url, unless dropped, and returns once it
// was answered; delivery failures are in Callbacks, not the error. It returns
// ErrUnknownOrder for an order_id no checkout used, and ErrNotPayable when
// the order was already paid or failed, or its expired_date has passed.
func (s *Server) Pay(orderID string, success bool, reason string) error {
	o := outcome{success: success, mask: maskCard(CardSuccess), cardType: "visa"}
	if !success {
		switch _, known := failureCodes[reason]; {
		case reason == "":
			o.code = "limit"
		case known:
			o.code = reason
		default:
			o.code, o.desc = "err_payment", reason
		}
		if o.desc == "" {
			o.desc = failureCodes[o.code]
		}
	}
	s.mu.Lock()
	ord, ok := s.orders[orderID]
	s.mu.Unlock()
	if !ok {
		return fmt.Errorf("pay %s: %w", orderID, ErrUnknownOrder)
	}
	return s.settle(context.Background(), ord.LiqpayOrderID, o)
}

// settle records the payment attempt and sends its one callback: LiqPay
// calls server_url once the payment has its final status.
func (s *Server) settle(ctx context.Context, liqpayID string, out outcome) error {
	s.mu.Lock()
	o, ok := s.byLiqpayID[liqpayID]
	if !ok {
		s.mu.Unlock()
		return fmt.Errorf("pay %s: %w", liqpayID, ErrUnknownOrder)
	}
	now := s.now()
	if o.Status != statusPrepared || (!o.ExpiredDate.IsZero() && !now.Before(o.ExpiredDate)) {
		st := o.Status
		s.mu.Unlock()
		return fmt.Errorf("pay %s: status %s: %w", o.OrderID, st, ErrNotPayable)
	}
	s.nextID++
	o.PaymentID, o.EndDate = s.nextID, now
	o.CardMask, o.CardType, o.Is3DS = out.mask, out.cardType, out.is3DS
	switch {
	case !out.success:
		o.Status, o.ErrCode, o.ErrDescription = statusFailure, out.code, out.desc
	case o.Sandbox:
		o.Status = statusSandbox
	case s.unverified:
		o.Status = statusWaitAccept
	default:
		o.Status = statusSuccess
	}
	if out.success {
		o.authcode = fakebank.ID(s.rand(), 6, "0123456789")
		o.rrn = fakebank.ID(s.rand(), 12, "0123456789")
	}
	d := s.notifyLocked(o, "pay")
	s.mu.Unlock()
	s.deliver(ctx, d)
	return nil
}

// cardOutcome decides a payment by card number; ok is false for a number
// that is not 12 to 19 digits passing the Luhn check.
func cardOutcome(number string) (o outcome, ok bool) {
	pan, ok := fakebank.PAN(number)
	if !ok {
		return outcome{}, false
	}
	o = outcome{success: true, mask: maskCard(pan), cardType: cardType(pan), is3DS: pan == CardSuccess3DS}
	switch pan {
	case CardDeclineLimit:
		o.success, o.code = false, "limit"
	case CardDecline9859:
		o.success, o.code = false, "9859"
	}
	o.desc = failureCodes[o.code]
	return o, true
}

// maskCard writes a card as LiqPay's sender_card_mask2: "424242*42".
func maskCard(pan string) string { return pan[:6] + "*" + pan[len(pan)-2:] }

// cardType is LiqPay's sender_card_type: "visa", "mc" or "other".
func cardType(pan string) string {
	if sc := fakebank.Scheme(pan); sc != "mastercard" {
		return sc
	}
	return "mc"
}
