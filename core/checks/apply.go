package checks

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/errs"
)

// ClaimLease is how long a notice claimed by a request may go unmarked
// before the scheduled pass takes it for lost (the request died, or lost
// the messenger's answer) and sends it again. A notice can be sent twice
// only then: when a send's answer is lost.
const ClaimLease = 2 * time.Minute

// errNotVisible leaves a notice pending when the check's record (and so the
// chat to notify) has not reached this KV location yet.
var errNotVisible = errors.New("check record not visible here yet")

// Apply folds an authenticated bank event into the check that r points to,
// and tells the cashier what is new. The change and the claim of its
// notices are one conditional write: of many requests applying the same
// event at once (a callback and the buyer's result page, a replayed
// callback), one changes the state and sends its notices, the others find
// nothing new. It returns the new state. A storage failure is
// errs.Unavailable: the bank must be answered 5xx so that it retries.
func (s *Service) Apply(ctx context.Context, r check.Ref, ev check.Event) (check.State, error) {
	now := s.Now().UTC()
	// A final event is news most times it comes (a bank's callback): the
	// check's record, the chat its notice tells, is read while the state is
	// written, one wait for the two round trips on the Worker. A pending
	// one (what the result page mostly finds) reads it only if it is news.
	var record func() (check.Check, error)
	if ev.Status != check.AttemptPending {
		record = s.readCheck(ctx, r)
	}
	var notices []check.Notice
	st, w, err := s.write(ctx, r, nil, func(st *check.State) (bool, error) {
		changed, ns := st.Apply(ev, now)
		notices = claim(st, ns, now)
		return changed, nil
	})
	var chk check.Check
	var recErr error
	if record != nil {
		// waited for even when not needed: no read outlives its request
		chk, recErr = record()
	}
	if err != nil {
		return st, fmt.Errorf("apply %s to %s: %w", ev.Status, r.ID, err)
	}
	if record == nil {
		return s.deliver(ctx, r, st, w, notices), nil
	}
	if len(notices) == 0 {
		return st, nil
	}
	return s.deliverTo(ctx, r, chk, recErr, st, w, notices), nil
}

// readCheck starts reading the check's record and returns the wait for it.
func (s *Service) readCheck(ctx context.Context, r check.Ref) func() (check.Check, error) {
	type result struct {
		chk check.Check
		err error
	}
	ch := make(chan result, 1)
	go func() {
		chk, err := s.Check(ctx, r)
		ch <- result{chk, err}
	}()
	return func() (check.Check, error) {
		res := <-ch
		return res.chk, res.err
	}
}

// Move changes a check's status for expiry or cancellation, notifying as
// needed; errs.Conflict if the status does not allow it.
func (s *Service) Move(ctx context.Context, r check.Ref, to check.Status) (check.State, error) {
	now := s.Now().UTC()
	var notices []check.Notice
	st, w, err := s.write(ctx, r, nil, func(st *check.State) (bool, error) {
		ok, ns := st.Move(to, now)
		if !ok {
			return false, errs.E(errs.Conflict, "check is %s", st.Status)
		}
		notices = claim(st, ns, now)
		return true, nil
	})
	if err != nil {
		return st, fmt.Errorf("move %s to %s: %w", r.ID, to, err)
	}
	return s.deliver(ctx, r, st, w, notices), nil
}

// claim adds new notices to st and claims for this request those it may
// send now (check.State.Claim): none while another request is sending one
// of the check's notices, which then sends these after its own. With no
// news it claims nothing: the caller may not write st then, and a claim
// not written is no claim (two requests would send the same notice).
func claim(st *check.State, news []check.Notice, now time.Time) []check.Notice {
	if len(news) == 0 {
		return nil
	}
	return st.Claim(news, now, ClaimLease)
}

// deliver sends the notices this request claimed (see send), with the
// check's record read from KV for the chat to tell; w is the write that
// claimed them. It returns the state as last stored.
func (s *Service) deliver(ctx context.Context, r check.Ref, st check.State, w *written, notices []check.Notice) check.State {
	if len(notices) == 0 {
		return st
	}
	chk, err := s.Check(ctx, r)
	return s.deliverTo(ctx, r, chk, err, st, w, notices)
}

// deliverTo is deliver with the check's record read already (or the error
// reading it).
func (s *Service) deliverTo(ctx context.Context, r check.Ref, chk check.Check, err error, st check.State, w *written, notices []check.Notice) check.State {
	if err != nil {
		if errs.CodeOf(err) == errs.NotFound {
			err = errNotVisible
		}
		for _, n := range notices {
			s.Log.Warn("notice pending", "check", r.ID, "notice", n.Key(), "err", err)
		}
		return st
	}
	st, _, err = s.send(ctx, chk, st, w, notices)
	if err != nil {
		s.Log.Error("notice sent but not recorded; the scheduled pass may send it again", "check", r.ID, "err", err)
	}
	return st
}

// send sends notices, claimed by this request, and records those delivered
// (one more write, none if none was); the write claims what other requests
// left pending while this one was sending, and those are sent and recorded
// in turn. A notice not delivered keeps its claim until ClaimLease is
// over; then the scheduled pass claims and sends it. A failure to record a
// delivery leaves the claim too: the notice may be sent twice then, as
// when the messenger's answer is lost. It returns the state as last
// stored and the number of notices delivered.
func (s *Service) send(ctx context.Context, chk check.Check, st check.State, w *written, notices []check.Notice) (check.State, int, error) {
	r := chk.Ref()
	n := 0
	for len(notices) > 0 {
		var delivered []check.Notice
		for _, nt := range notices {
			if err := s.notify(ctx, chk, nt); err != nil {
				s.Log.Warn("notice pending", "check", r.ID, "notice", nt.Key(), "err", err)
				continue
			}
			delivered = append(delivered, nt)
		}
		if len(delivered) == 0 {
			break
		}
		n += len(delivered)
		after, again, next, err := s.record(ctx, r, w, delivered)
		if err != nil {
			return st, n, fmt.Errorf("record notices of %s: %w", r.ID, err)
		}
		st, w, notices = after, again, next
	}
	return st, n, nil
}

// errLapsed keeps a notice whose claim lapsed before it could be sent
// (a pass held up by a messenger's flood control, a request slowed down):
// another request may have claimed it since, and sends it.
var errLapsed = errors.New("claim lapsed before sending")

// notify sends n, a notice this request claimed, unless its claim lapsed
// meanwhile: then another request may be sending it, and two sends would
// tell the operator twice.
//
// A send that itself outlasts the lease (the messenger slow to answer)
// may meet another request's send of the same notice: that is said in the
// log, as the other way a notice can be told twice.
func (s *Service) notify(ctx context.Context, chk check.Check, n check.Notice) error {
	if !s.Now().Before(n.Claimed.Add(ClaimLease)) {
		return errLapsed
	}
	err := s.Notifier.Notify(ctx, chk, n)
	if err == nil && !s.Now().Before(n.Claimed.Add(ClaimLease)) {
		s.Log.Warn("notice sent after its claim lapsed, not recorded in time: it may have been sent twice", "check", chk.ID, "notice", n.Key())
	}
	return err
}

// recordTries bounds the writes that record what already happened outside
// (a delivery, a payment the bank made): a storage error that is gone a
// moment later must not leave a claim to lapse, or it is done again (the
// operator told twice, a second invoice at the bank).
const recordTries = 3

// record writes that notices were delivered, trying again after a storage
// error, and claims in the same write the notices that waited for them
// (check.State.Claim), which it returns.
func (s *Service) record(ctx context.Context, r check.Ref, w *written, delivered []check.Notice) (check.State, *written, []check.Notice, error) {
	var next []check.Notice
	st, w, err := s.updateAfter(ctx, r, w, func(st *check.State) (bool, error) {
		changed := false
		for _, n := range delivered {
			changed = st.Delivered(n) || changed
		}
		next = st.Claim(nil, s.Now().UTC(), ClaimLease)
		return changed || len(next) > 0, nil
	})
	return st, w, next, err
}

// updateAfter is write for a write that records what already happened
// outside (a message sent, a payment made at the bank), starting from w: a
// storage error is tried again, recordTries in all, since not recording it
// means doing it again later.
func (s *Service) updateAfter(ctx context.Context, r check.Ref, w *written, f func(st *check.State) (bool, error)) (check.State, *written, error) {
	var (
		st  check.State
		out *written
		err error
	)
	for range recordTries {
		st, out, err = s.write(ctx, r, w, f)
		if errs.CodeOf(err) != errs.Unavailable || ctx.Err() != nil {
			break
		}
		w = nil // the write may have been made: read what is stored
	}
	return st, out, err
}
