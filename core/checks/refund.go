package checks

import (
	"context"
	"fmt"
	"time"

	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/merchant"
)

// Refund returns the payment of a paid check on behalf of the operator who
// created it, through the bank that took it. A bank may
// settle a refund later than it accepts it (monobank's invoice/cancel
// answers "processing"), so Refund records on the attempt that the refund
// was asked, in the same KV write as the reversal when the bank's status
// already says reversed. The bank's webhook, or the scheduled pass asking
// the bank about refunds not yet confirmed, records the reversal
// otherwise. The operator is notified through the check's messenger like
// of any bank event.
//
// While a refund of the check is with the bank, Refund asks nothing more of
// the bank but its status: a redelivered or repeated confirmation must not
// return the money twice.
//
// A check op may not see (another cashier's, another shop's) is
// errs.NotFound; a cashier of a shop without CashierRefunds gets
// errs.Forbidden wrapping ErrCashierRefund; a check that is not paid (or
// already refunded) errs.Conflict; a bank that cannot refund says why.
// Bots should ask the operator to confirm first: a refund cannot be undone.
func (s *Service) Refund(ctx context.Context, op merchant.Operator, r check.Ref) (check.State, error) {
	if !s.mayAct(op, r) {
		return check.State{}, errs.E(errs.NotFound, "no such check")
	}
	st, err := s.State(ctx, r)
	if err != nil {
		return st, fmt.Errorf("refund %s: %w", r.ID, err)
	}
	if st.Status != check.Paid {
		return st, errs.E(errs.Conflict, "check is %s", st.Status)
	}
	paid, asked := refundable(st)
	if paid == nil && asked == nil {
		return st, errs.E(errs.Conflict, "check has no successful payment to refund")
	}
	m, err := s.Merchants.Get(ctx, r.Merchant)
	if err != nil {
		return st, fmt.Errorf("refund %s: %w", r.ID, err)
	}
	if err := mayRefund(op, m); err != nil {
		return st, err
	}
	now := s.Now().UTC()
	if asked != nil {
		s.Log.Info("refund already asked, asking its status", "check", r.ID, "attempt", asked.ProviderRef, "asked", asked.RefundAsked)
		st2, err := s.recordRefund(ctx, m, r, *asked, time.Time{})
		if err != nil || now.Before(asked.RefundAsked.Add(ReconcileAfter)) {
			return st2, err
		}
		at, ok := st2.Attempt(asked.ProviderRef)
		if !ok || !at.RefundPending() {
			return st2, nil
		}
		// Asked a while ago and the payment still stands: the bank may
		// have failed the refund after accepting it. Ask again; a bank
		// refuses a second full refund of a payment whose first one is
		// still under way (errs.Conflict), so the money never goes twice.
		return s.askRefund(ctx, m, r, *at, now)
	}
	return s.askRefund(ctx, m, r, *paid, now)
}

// askRefund asks the bank to refund at and records that it was asked (with
// the reversal, if the bank already reports it). The ask is claimed first
// (State.Refunding, one conditional write): of two confirmations at once,
// one asks the bank and the other returns the state as it finds it. A
// refusal (errs.Conflict) may mean the bank has the refund already, for
// example when its answer to an earlier request was lost: then its status
// says reversed, and that is recorded; otherwise the refusal is returned.
func (s *Service) askRefund(ctx context.Context, m merchant.Merchant, r check.Ref, at check.Attempt, now time.Time) (check.State, error) {
	claimed := false
	st, err := s.update(ctx, r, func(st *check.State) (bool, error) {
		claimed = false
		cur, ok := st.Attempt(at.ProviderRef)
		if st.Status != check.Paid || !ok || cur.Status != at.Status || !cur.RefundAsked.Equal(at.RefundAsked) || st.Refunding.Held(now, StartLease) {
			return false, nil // changed meanwhile, or another request is asking
		}
		st.Refunding = &check.Claim{Attempt: at.ProviderRef, At: now}
		claimed = true
		return true, nil
	})
	if err != nil || !claimed {
		return st, err
	}
	if err := s.Bank.Refund(ctx, m, r, at, r.Amount); err != nil {
		if errs.CodeOf(err) == errs.Conflict {
			if ev, serr := s.Bank.Status(ctx, m, r, at); serr == nil && ev.Status == check.AttemptReversed {
				s.Log.Info("refund refused as done already: recording the reversal", "check", r.ID, "attempt", at.ProviderRef)
				return s.recordRefund(ctx, m, r, at, now)
			}
			if !at.RefundAsked.IsZero() {
				// the first refund is still under way at the bank
				return s.unclaimRefund(ctx, r, now)
			}
		}
		if _, uerr := s.unclaimRefund(ctx, r, now); uerr != nil {
			s.Log.Warn("refund claim left to its lease", "check", r.ID, "err", uerr)
		}
		return st, fmt.Errorf("refund %s at %s: %w", r.ID, at.Provider, err)
	}
	s.Log.Info("refund requested", "check", r.ID, "provider", at.Provider, "attempt", at.ProviderRef)
	return s.recordRefund(ctx, m, r, at, now)
}

// unclaimRefund lets go of the refund claim taken at now.
func (s *Service) unclaimRefund(ctx context.Context, r check.Ref, now time.Time) (check.State, error) {
	return s.update(ctx, r, func(st *check.State) (bool, error) {
		if st.Refunding == nil || !st.Refunding.At.Equal(now) {
			return false, nil
		}
		st.Refunding = nil
		return true, nil
	})
}

// refundable returns the payment a refund returns (the newest successful
// one), and the payment whose refund the bank has not confirmed yet, if any.
func refundable(st check.State) (paid, asked *check.Attempt) {
	for i := range st.Attempts {
		switch at := &st.Attempts[i]; {
		case at.RefundPending():
			asked = at
		case at.Status == check.AttemptSuccess:
			paid = at
		}
	}
	return paid, asked
}

// recordRefund asks the bank where the refunded attempt stands and records
// the reversal, if the bank says so, together with the mark that the refund
// was asked at askedAt (zero: marked already), which also ends the claim:
// one write at most, none when there is nothing new.
func (s *Service) recordRefund(ctx context.Context, m merchant.Merchant, r check.Ref, at check.Attempt, askedAt time.Time) (check.State, error) {
	ev, err := s.Bank.Status(ctx, m, r, at)
	if err != nil {
		s.Log.Warn("refund status", "check", r.ID, "err", err)
	}
	if err != nil || ev.Status != check.AttemptReversed {
		if askedAt.IsZero() {
			return s.State(ctx, r)
		}
		// only the mark is news: whatever else the bank said is no change
		ev = check.Event{Provider: at.Provider, ProviderRef: at.ProviderRef, Status: check.AttemptPending}
		if now := s.Now(); now.After(r.Expires.Add(SweepWindow - ReconcileAfter)) {
			s.Log.Warn("refund not confirmed yet and the check is past the scheduled pass's window: only the bank's webhook, or the operator confirming the refund again, records it", "check", r.ID)
		}
	}
	ev.RefundAsked = askedAt
	st, err := s.Apply(ctx, r, ev)
	if err != nil {
		// the bank has the refund; only our record of it is missing
		s.Log.Error("refund asked at the bank but not recorded", "check", r.ID, "attempt", at.ProviderRef, "err", err)
		return st, fmt.Errorf("refund %s: record: %w", r.ID, err)
	}
	return st, nil
}
