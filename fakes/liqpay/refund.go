package liqpay

import (
	"time"

	"github.com/paylastic/edge/fakes/internal/fakebank"
)

// pendingRefund is a refund taken but not settled yet (SetRefundDelay).
type pendingRefund struct {
	amount int64
	due    time.Time
}

// SetRefundDelay chooses when action=refund settles. With d <= 0 (the
// default) it settles at once and answers status "reversed". With d > 0 it
// answers "processing": the order stays "success" until the fake's clock has
// passed the request by d, then settles on the next action=status or
// action=refund for the order (or on SettleRefunds), sending its callback
// with action "refund" (lost while SetDropCallbacks is on). LiqPay's
// documentation lists only final statuses for a refund's answer; this mode
// plays a bank that settles later, so the product is tested for both.
func (s *Server) SetRefundDelay(d time.Duration) {
	s.mu.Lock()
	s.refundDelay = d
	s.mu.Unlock()
}

// SettleRefunds settles every processing refund now, whatever the clock,
// and returns once the callbacks that causes were answered (or dropped).
func (s *Server) SettleRefunds() {
	s.mu.Lock()
	var ds []*delivery
	for _, id := range s.seq {
		ds = append(ds, s.settleLocked(s.orders[id], s.now(), true)...)
	}
	s.mu.Unlock()
	fakebank.Deliver(s.deliver, ds...)
}

// refund answers action=refund for a successful (or sandbox) payment. amount
// is optional here (LiqPay's samples omit it): without it the rest is
// refunded. The refund settles at once, unless SetRefundDelay says later:
// the answer's status is "reversed" (or "processing"); the order becomes
// "reversed" when nothing is left. A callback with action "refund" goes to
// server_url in the background (see Wait).
func (s *Server) refund(orderID string, params map[string]any) (any, *apiError) {
	var amount int64
	if v, ok := params["amount"]; ok {
		if amount, ok = parseAmount(v); !ok || amount <= 0 {
			return nil, errf(ErrCodeParam, "invalid amount %v", v)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orders[orderID]
	if !ok || o.Status == statusPrepared {
		return nil, errf(ErrCodeNotFound, "payment not found")
	}
	now := s.now()
	s.background(s.settleLocked(o, now, false)...)
	if o.Status != statusSuccess && o.Status != statusSandbox {
		return nil, errf(ErrCodeNotRefundable, "payment status %s can not be refunded", o.Status)
	}
	left := o.Amount - o.Refunded
	for _, r := range o.processing {
		left -= r.amount
	}
	if amount == 0 {
		amount = left
	}
	if amount == 0 || amount > left {
		return nil, errf(ErrCodeRefundAmount, "refund amount exceeds what is left")
	}
	if s.refundDelay > 0 {
		o.processing = append(o.processing, pendingRefund{amount: amount, due: now.Add(s.refundDelay)})
		p := s.payment(o, "refund")
		p.Result, p.Status = "ok", "processing"
		return p, nil
	}
	d := s.refundLocked(o, amount, now)
	p := s.payment(o, "refund")
	p.Result, p.Status = "ok", statusReversed
	s.background(d)
	return p, nil
}

// refundLocked settles a refund of amount and returns its callback.
func (s *Server) refundLocked(o *order, amount int64, now time.Time) *delivery {
	o.Refunded += amount
	o.RefundDateLast = now
	if o.Refunded == o.Amount {
		o.Status = statusReversed
	}
	return s.notifyLocked(o, "refund")
}

// settleLocked settles the order's processing refunds due at now (all of
// them with all) and returns their callbacks.
func (s *Server) settleLocked(o *order, now time.Time, all bool) []*delivery {
	var ds []*delivery
	kept := o.processing[:0]
	for _, r := range o.processing {
		if !all && now.Before(r.due) {
			kept = append(kept, r)
			continue
		}
		if d := s.refundLocked(o, r.amount, now); d != nil {
			ds = append(ds, d)
		}
	}
	o.processing = kept
	return ds
}

// background delivers callbacks after the answer (see fakebank.Background).
func (s *Server) background(ds ...*delivery) { fakebank.Background(&s.wg, s.deliver, ds...) }
