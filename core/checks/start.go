package checks

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/paylastic/edge/core/bank"
	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/merchant"
)

const (
	// MinPayTime is the least time a check must have left for a new
	// payment to be worth starting at the bank.
	MinPayTime = time.Minute
	// StartLease is how long a request may take to start a payment at the
	// bank before another may take its place (it died on the way).
	StartLease = 30 * time.Second
	// startWaits is how often a request looks again, startPoll apart, for
	// another that is starting the payment, before it asks the buyer to try
	// again in a moment (counted, not timed: tests run on a fixed clock).
	startWaits = 12
	startPoll  = 300 * time.Millisecond
)

var (
	// ErrBank is wrapped in the error Pay returns when the bank could not
	// start or resume the payment.
	ErrBank = errors.New("the bank could not take the payment")
	// ErrTooLate is wrapped in the errs.Conflict that Pay returns for a
	// check too close to its expiry to start a payment.
	ErrTooLate = errors.New("checks: the check expires too soon to pay")
	// ErrNotPayable is wrapped in the errs.Conflict that Pay returns for a
	// check that is paid, refunded, expired or cancelled.
	ErrNotPayable = errors.New("checks: the check can no longer be paid")
	// ErrBusy is wrapped in the errs.Unavailable that Pay returns when
	// another request is still starting the payment.
	ErrBusy = errors.New("checks: the payment is being started")
)

// Pay sends the buyer of an open check to the bank. An unfinished attempt
// that is still valid is resumed, so opening the link twice never makes two
// payments; otherwise the merchant's bank starts attempt number
// len(st.Attempts)+1. Starting is claimed first (State.Starting, one
// conditional write), so that of two buyers' requests at once (two tabs,
// two locations) one starts the payment and the other waits for it and
// resumes it: a bank without idempotency (monobank) never gets two
// invoices for one check, and a paid check is never paid again. The
// attempt is recorded in a second write. c says what the bank is told (its
// Seq is set here).
//
// Errors: errs.Conflict wrapping ErrNotPayable for a check that is paid,
// refunded, expired or cancelled, or ErrTooLate when it expires within
// MinPayTime; errs.Unavailable wrapping ErrBusy when another request is
// still starting it; ErrBank, with the bank's error, when the bank cannot
// start or resume the payment; errs.Unavailable when storage fails.
func (s *Service) Pay(ctx context.Context, c bank.Checkout) (bank.Redirect, error) {
	return s.PayFrom(ctx, c, Snapshot{})
}

// PayFrom is Pay for a request that has read the check's state already
// (Service.Snapshot): its claim starts from that copy, one D1 read fewer on
// the Worker. A zero Snapshot reads the state, as Pay does.
func (s *Service) PayFrom(ctx context.Context, c bank.Checkout, from Snapshot) (bank.Redirect, error) {
	known := from.written()
	for waited := 0; ; waited++ {
		now := s.Now().UTC()
		var resume *check.Attempt
		var seq int
		st, w, err := s.write(ctx, c.Ref, known, func(st *check.State) (bool, error) {
			resume, seq = nil, 0
			if st.Status != check.Open {
				return false, errs.Wrap(errs.Conflict, ErrNotPayable, "check is "+string(st.Status))
			}
			if a, ok := st.Reusable(now); ok {
				resume = a
				return false, nil
			}
			if st.Starting.Held(now, StartLease) {
				return false, nil // another request is starting it: wait below
			}
			if !now.Add(MinPayTime).Before(c.Ref.Expires) {
				return false, errs.Wrap(errs.Conflict, ErrTooLate, "check has expired")
			}
			seq = len(st.Attempts) + 1
			st.Starting = &check.Claim{Seq: seq, At: now}
			st.Updated = now
			return true, nil
		})
		switch {
		case err != nil:
			return bank.Redirect{}, fmt.Errorf("pay %s: %w", c.Ref.ID, err)
		case resume != nil:
			c.Seq = len(st.Attempts)
			rd, err := s.Bank.Resume(ctx, c, *resume)
			if err != nil {
				return rd, fmt.Errorf("resume %s: %w: %w", c.Ref.ID, ErrBank, err)
			}
			return rd, nil
		case seq > 0:
			c.Seq = seq
			return s.start(ctx, c, w)
		}
		known = nil // after the first look, what is stored
		if waited == startWaits {
			return bank.Redirect{}, errs.Wrap(errs.Unavailable, ErrBusy, "the payment is being started, try again in a moment")
		}
		if err := sleep(ctx, startPoll); err != nil {
			return bank.Redirect{}, err
		}
	}
}

// start asks the bank for attempt c.Seq, which this request claimed in
// write w, and records it (or, if the bank failed, lets go of the claim).
func (s *Service) start(ctx context.Context, c bank.Checkout, w *written) (bank.Redirect, error) {
	p, startErr := s.Bank.Start(ctx, c)
	now := s.Now().UTC()
	refused := bank.Refused(startErr)
	var notices []check.Notice
	st, w, err := s.updateAfter(ctx, c.Ref, w, func(st *check.State) (bool, error) {
		if st.Starting != nil && st.Starting.Seq == c.Seq {
			st.Starting = nil
		}
		if startErr == nil {
			if _, ok := st.Attempt(p.Attempt.ProviderRef); !ok {
				st.Attempts = append(st.Attempts, p.Attempt)
			}
		}
		// A refusal for good is news for the cashier (the buyer in front
		// of them cannot pay), once per check: claimed in this write.
		notices = nil
		if refused {
			notices = claim(st, st.BankRefused(errs.MessageOf(startErr), now), now)
		}
		st.Updated = now
		return true, nil
	})
	if refused {
		s.noteBankError(ctx, c.Merchant.ID, startErr, now)
		if err == nil {
			s.deliver(ctx, c.Ref, st, w, notices)
		}
	}
	if startErr != nil {
		return bank.Redirect{}, fmt.Errorf("start payment of %s: %w: %w", c.Ref.ID, ErrBank, startErr)
	}
	if err != nil {
		return bank.Redirect{}, fmt.Errorf("record attempt of %s: %w", c.Ref.ID, err)
	}
	s.Log.Info("payment started", "check", c.Ref.ID, "provider", p.Attempt.Provider, "attempt", p.Attempt.ProviderRef)
	return p.Redirect, nil
}

// sleep waits d, or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// bankErrorEvery bounds how often one merchant's record is rewritten with
// the same refusal: each buyer's press would otherwise cost a write.
const bankErrorEvery = time.Hour

// noteBankError keeps the bank's refusal on the merchant, for the admin
// (GET /admin/merchants/{id}). Best effort: the payment has failed either
// Refused records that the merchant's bank refused it for good while a
// buyer was at the check (its status call, say, after the merchant's keys
// changed): the cashier is told once per check, as when a payment start
// is refused, and the admin sees the error on the merchant.
func (s *Service) Refused(ctx context.Context, r check.Ref, merchantID string, refusal error) {
	now := s.Now().UTC()
	var notices []check.Notice
	st, w, err := s.write(ctx, r, nil, func(st *check.State) (bool, error) {
		news := st.BankRefused(errs.MessageOf(refusal), now)
		notices = claim(st, news, now)
		return len(news) > 0, nil
	})
	s.noteBankError(ctx, merchantID, refusal, now)
	if err != nil {
		s.Log.Warn("bank refusal not recorded on the check", "check", r.ID, "err", err)
		return
	}
	s.deliver(ctx, r, st, w, notices)
}

// way, and the next refusal tries again.
func (s *Service) noteBankError(ctx context.Context, merchantID string, refusal error, now time.Time) {
	msg := errs.MessageOf(refusal)
	_, err := s.Merchants.Update(ctx, merchantID, func(m *merchant.Merchant) error {
		if e := m.BankError; e != nil && e.Message == msg && now.Sub(e.At) < bankErrorEvery {
			return errUnchanged
		}
		m.BankError = &merchant.BankError{At: now, Message: msg}
		return nil
	})
	if err != nil && !errors.Is(err, errUnchanged) {
		s.Log.Warn("keep the bank's refusal on the merchant", "merchant", merchantID, "err", err)
	}
}

// errUnchanged ends an update that has nothing to write.
var errUnchanged = errors.New("checks: nothing to change")
