package checks

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/paylastic/edge/core/bank"
	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/errs"
)

// MinPayTime is the least time a check must have left for a new payment to
// be worth starting at the bank.
const MinPayTime = time.Minute

// ErrBank is wrapped in the error Pay returns when the bank could not start
// or resume the payment.
var ErrBank = errors.New("the bank could not take the payment")

// ErrTooLate is wrapped in the errs.Conflict that Pay returns for a check
// too close to its expiry to start a payment.
var ErrTooLate = errors.New("checks: the check expires too soon to pay")

// Pay sends the buyer of an open check to the bank. An unfinished attempt
// that is still valid is resumed, so opening the link twice never makes two
// payments; otherwise the merchant's bank starts attempt number
// len(st.Attempts)+1 and it is recorded in the check's state (one write).
// c says what the bank is told (its Seq is set here); st is the check's
// state as the caller read it.
//
// Errors: errs.Conflict wrapping ErrTooLate when the check expires within
// MinPayTime; ErrBank, with the bank's error, when the bank cannot start or
// resume the payment; errs.Unavailable when the attempt cannot be recorded.
func (s *Service) Pay(ctx context.Context, c bank.Checkout, st check.State) (bank.Redirect, error) {
	now := s.Now().UTC()
	if a, ok := st.Reusable(now); ok {
		c.Seq = len(st.Attempts)
		rd, err := s.Bank.Resume(ctx, c, *a)
		if err != nil {
			return rd, fmt.Errorf("resume %s: %w: %w", c.Ref.ID, ErrBank, err)
		}
		return rd, nil
	}
	if !now.Add(MinPayTime).Before(c.Ref.Expires) {
		return bank.Redirect{}, errs.Wrap(errs.Conflict, ErrTooLate, "check has expired")
	}
	c.Seq = len(st.Attempts) + 1
	p, err := s.Bank.Start(ctx, c)
	if err != nil {
		return bank.Redirect{}, fmt.Errorf("start payment of %s: %w: %w", c.Ref.ID, ErrBank, err)
	}
	st.Attempts = append(st.Attempts, p.Attempt)
	st.Updated = now
	if err := s.SaveState(ctx, c.Ref.ID, st); err != nil {
		return bank.Redirect{}, fmt.Errorf("record attempt of %s: %w", c.Ref.ID, err)
	}
	s.Log.Info("payment started", "check", c.Ref.ID, "provider", p.Attempt.Provider, "attempt", p.Attempt.ProviderRef)
	return p.Redirect, nil
}
