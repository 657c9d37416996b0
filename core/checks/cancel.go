package checks

import (
	"context"
	"fmt"

	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/merchant"
)

// Cancel cancels an open check on behalf of the operator who created it or
// an owner of its shop. Another operator gets errs.NotFound (it is not
// theirs to see); a check that is no longer open gets errs.Conflict.
func (s *Service) Cancel(ctx context.Context, op merchant.Operator, r check.Ref) (check.State, error) {
	if !s.mayAct(op, r) {
		return check.State{}, errs.E(errs.NotFound, "no such check")
	}
	st, err := s.Move(ctx, r, check.Cancelled)
	if err != nil {
		return st, fmt.Errorf("cancel %s: %w", r.ID, err)
	}
	// The check is cancelled for good; withdrawing its unpaid payments at
	// the bank is a courtesy to the buyer, logged when it fails: a payment
	// that still goes through is money taken, and the check becomes paid.
	m, err := s.Merchants.Get(ctx, r.Merchant)
	if err != nil {
		s.Log.Warn("cancel at bank: merchant", "check", r.ID, "err", err)
		return st, nil
	}
	for _, a := range st.Attempts {
		if a.Status == check.AttemptPending {
			if err := s.Bank.Cancel(ctx, m, r, a); err != nil {
				s.Log.Warn("cancel at bank", "check", r.ID, "attempt", a.ProviderRef, "err", err)
			}
		}
	}
	return st, nil
}
