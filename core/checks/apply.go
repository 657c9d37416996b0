package checks

import (
	"context"
	"errors"
	"fmt"

	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/errs"
)

// errNotVisible leaves a notice pending when the invoice (and so the chat to
// notify) has not reached this KV location yet.
var errNotVisible = errors.New("invoice not visible here yet")

// Apply folds an authenticated bank event into the check that r points to,
// notifies the operator of what is new, and stores the result with one write
// (none if nothing changed). It returns the new state. A storage failure is
// errs.Unavailable: the bank must be answered 5xx so that it retries.
func (s *Service) Apply(ctx context.Context, r check.Ref, ev check.Event) (check.State, error) {
	st, err := s.State(ctx, r.ID)
	if err != nil {
		return st, fmt.Errorf("apply %s to %s: %w", ev.Status, r.ID, err)
	}
	changed, notices := st.Apply(ev, s.Now().UTC())
	if !changed {
		return st, nil
	}
	s.deliver(ctx, r, &st, notices)
	if err := s.SaveState(ctx, r.ID, st); err != nil {
		return st, fmt.Errorf("apply %s to %s: %w", ev.Status, r.ID, err)
	}
	return st, nil
}

// Move changes a check's status for expiry or cancellation, notifying as
// needed; errs.Conflict if the status does not allow it.
func (s *Service) Move(ctx context.Context, r check.Ref, to check.Status) (check.State, error) {
	st, err := s.State(ctx, r.ID)
	if err != nil {
		return st, err
	}
	ok, notices := st.Move(to, s.Now().UTC())
	if !ok {
		return st, errs.E(errs.Conflict, "check is %s", st.Status)
	}
	s.deliver(ctx, r, &st, notices)
	if err := s.SaveState(ctx, r.ID, st); err != nil {
		return st, fmt.Errorf("move %s to %s: %w", r.ID, to, err)
	}
	return st, nil
}

// deliver sends notices and records each outcome in st; failures stay
// pending for the scheduled pass.
func (s *Service) deliver(ctx context.Context, r check.Ref, st *check.State, notices []check.Notice) {
	if len(notices) == 0 {
		return
	}
	chk, err := s.Check(ctx, r)
	if errs.CodeOf(err) == errs.NotFound {
		err = errNotVisible
	}
	for _, n := range notices {
		sendErr := err
		if sendErr == nil {
			sendErr = s.notify(ctx, chk, n)
		}
		if sendErr != nil {
			s.Log.Warn("notice pending", "check", r.ID, "notice", n.Key(), "err", sendErr)
		}
		st.Delivered(n, sendErr)
	}
}

func (s *Service) notify(ctx context.Context, chk check.Check, n check.Notice) error {
	if s.Notifier == nil {
		return errors.New("no notifier configured")
	}
	return s.Notifier.Notify(ctx, chk, n)
}
