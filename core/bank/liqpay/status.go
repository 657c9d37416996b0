package liqpay

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/paylastic/edge/core/bank"
	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/merchant"
	"github.com/paylastic/edge/core/money"
)

// Status asks LiqPay where the attempt's order stands (action=status). An
// order LiqPay has no payment for (payment_not_found: the buyer has not
// paid, or never opened the checkout) is pending until its expired_date has
// passed by a grace period, and expired after. The answer must be for the
// attempt's order, in hryvnias and for the check's amount, or it is an
// error; so is a sandbox payment for a merchant not in sandbox mode. A
// refusal of the merchant's keys or shop (invalid_signature, err_signature,
// public_key_not_found, shop_blocked, …) is errs.Refused: permanent, never
// pending; a transport failure or an answer that is not LiqPay's JSON is
// errs.Unavailable (see call). wait_accept is a success: the buyer's money is
// taken (see statuses).
func (b *Bank) Status(ctx context.Context, m merchant.Merchant, ref check.Ref, a check.Attempt) (check.Event, error) {
	ev := check.Event{Provider: Name, ProviderRef: a.ProviderRef, Status: check.AttemptPending}
	cr, err := b.credentials(m)
	if err != nil {
		return ev, fmt.Errorf("liqpay status: %w", err)
	}
	p, err := b.call(ctx, cr, request{Action: "status", OrderID: a.ProviderRef})
	if errs.CodeOf(err) == errs.NotFound {
		valid := a.Valid
		if valid.IsZero() {
			valid = ref.Expires
		}
		if !b.env.Now().Before(valid.Add(grace)) {
			ev.Status, ev.Modified = check.AttemptExpired, valid.UTC()
		}
		return ev, nil
	}
	if err != nil {
		return ev, fmt.Errorf("liqpay status: %w", err)
	}
	amount, ok := ParseAmount(p.Amount.String())
	switch {
	case p.OrderID != a.ProviderRef:
		return ev, fmt.Errorf("liqpay status: answer for order %.40q, asked %s", p.OrderID, a.ProviderRef)
	case p.Currency != "UAH" || !ok || amount != ref.Amount:
		return ev, errs.E(errs.Invalid, "liqpay order %s is for %s %.8s, not the check's %s", a.ProviderRef, p.Amount, p.Currency, ref.Amount.Decimal())
	}
	st, ok := MapStatus(p.Status, cr.Sandbox)
	if !ok {
		return ev, errs.E(errs.Invalid, "liqpay order %s is a sandbox payment for a merchant not in sandbox mode", a.ProviderRef)
	}
	b.logUnknown(p, "status")
	ev.Status, ev.Modified, ev.Card, ev.BankStatus = st, p.modified(), p.card(), bankStatus(p.Status)
	if st == check.AttemptFailure {
		ev.Reason = p.reason()
	}
	return ev, nil
}

// logUnknown logs a payment status LiqPay does not document: it is taken for
// pending, and someone should look at what it means.
func (b *Bank) logUnknown(p payment, via string) {
	if !known(p.Status) {
		b.env.Log.Warn("liqpay status not documented, taken as pending", "status", p.Status, "order", p.OrderID, "via", via)
	}
}

// Refund returns amount of the attempt's payment (action=refund; amount is
// always sent, as the API reference requires). LiqPay reports the reversal
// in its answer, to server_url and in action=status. An answer that is not
// final yet (processing) is taken as accepted: the reversal is reported
// later. A refund LiqPay refuses (not refundable, a wrong amount, status
// failure or error) is errs.Conflict; an order it does not know is
// errs.NotFound.
func (b *Bank) Refund(ctx context.Context, m merchant.Merchant, ref check.Ref, a check.Attempt, amount money.Amount) error {
	if err := bank.CheckRefund(ref, amount); err != nil {
		return err
	}
	cr, err := b.credentials(m)
	if err != nil {
		return fmt.Errorf("liqpay refund: %w", err)
	}
	p, err := b.call(ctx, cr, request{Action: "refund", OrderID: a.ProviderRef, Amount: json.Number(amount.Decimal())})
	if err != nil {
		if errs.CodeOf(err) == errs.NotFound {
			return err
		}
		if code := apiErrCode(err); code == "payment_not_refundable" || code == "wrong_amount" {
			return errs.Wrap(errs.Conflict, err, "liqpay refused the refund")
		}
		return fmt.Errorf("liqpay refund: %w", err)
	}
	switch st, _ := MapStatus(p.Status, cr.Sandbox); {
	case p.Status == "reversed" || p.Status == "success":
		return nil
	case p.Status == "":
		return fmt.Errorf("liqpay refund %s: an answer without a status", a.ProviderRef)
	case st == check.AttemptPending:
		// Not a final word (processing, wait_*): LiqPay has taken the
		// refund but not settled it. Calling it refused would invite the
		// operator to return the money another way while LiqPay may still
		// return it; the callback or the scheduled pass asking
		// action=status records the reversal.
		b.env.Log.Info("liqpay refund not settled yet", "order", a.ProviderRef, "status", p.Status)
		return nil
	}
	return errs.E(errs.Conflict, "liqpay refused the refund of %s: status %.20s", a.ProviderRef, p.Status)
}

// Cancel does nothing: an unpaid LiqPay checkout is no payment yet, and the
// checkout itself stops taking it at the check's expiry (expired_date).
func (b *Bank) Cancel(context.Context, merchant.Merchant, check.Ref, check.Attempt) error { return nil }
