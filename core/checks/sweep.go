package checks

import (
	"context"
	"fmt"
	"time"

	"github.com/paylastic/edge/core/cas"
	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/kv"
)

const (
	// SweepWindow is how long after its expiry a check is still looked at by
	// the scheduled pass: late bank answers, unconfirmed refunds and failed
	// notifications get this long to be settled.
	SweepWindow = 2 * time.Hour
	// ReconcileAfter is how long a pending attempt (or a refund asked) waits
	// for its callback before the scheduled pass asks the bank.
	ReconcileAfter = 2 * time.Minute
	// SweepEvery is how often the scheduled pass runs in production
	// (wrangler.toml: */5 * * * *). A check whose window ends before the
	// next pass gets its last look now, and what is still unsettled then is
	// logged as given up. Passes run more often (the harness) may log it
	// more than once.
	SweepEvery = 5 * time.Minute
)

// SweepReport says what one scheduled pass did.
type SweepReport struct {
	Seen, Expired, Reconciled, Retried, Failed int
	// Held counts notices not sent because their messenger had asked to
	// slow down earlier in the pass; they stay pending for the next one.
	Held int
}

// Sweep is the scheduled pass (invariant 3, docs/invariants.md): it expires open checks past
// their expiry, asks the bank about attempts whose callback never came and
// about refunds it has not confirmed yet, and retries notifications that
// could not be sent. It looks at checks created today and yesterday (UTC),
// which covers every check still in its window as long as TTL + SweepWindow
// stays under a day. It goes on past a failing check and returns the first
// error with the report.
func (s *Service) Sweep(ctx context.Context, now time.Time) (SweepReport, error) {
	var rep SweepReport
	var first error
	keep := func(err error) {
		if err != nil {
			rep.Failed++
			if first == nil {
				first = err
			}
			s.Log.Warn("sweep", "err", err)
		}
	}
	// This pass's own copy of the service sends its notices through a
	// throttle, so that a messenger's flood control stops the pass from
	// sending more to it (the copy is not shared with other requests).
	pass := *s
	th := &throttle{next: s.Notifier, log: s.Log}
	if s.Notifier != nil {
		pass.Notifier = th
	}
	// yesterday's and today's keys, listed at once
	lists, err := kv.ListMany(ctx, s.KV, []string{dayPrefix(now.AddDate(0, 0, -1)), dayPrefix(now)})
	if err != nil {
		return rep, fmt.Errorf("sweep: %w", errs.Storage(err))
	}
	for _, keys := range lists {
		var todo []sweepKey
		for _, k := range keys {
			pk, ok := parseCheckKey(k)
			if !ok || pk.Expires.Before(now.Add(-SweepWindow)) {
				continue
			}
			todo = append(todo, sweepKey{k, pk})
		}
		// The states of up to cas.MaxGetMany checks in one read, instead of
		// a round trip per check (on the Worker each costs CPU even when
		// nothing is to be done); if that read fails, each check reads its
		// own, as before.
		for len(todo) > 0 {
			batch := todo[:min(len(todo), cas.MaxGetMany)]
			todo = todo[len(batch):]
			refs := make([]check.Ref, len(batch))
			for i, c := range batch {
				refs[i] = c.ref()
			}
			states, err := s.StatesOf(ctx, refs)
			for _, c := range batch {
				rep.Seen++
				var st *check.State
				if err == nil {
					x := states[c.pk.ID]
					st = &x
				}
				keep(pass.sweepOne(ctx, c.key, c.pk, st, now, &rep))
			}
		}
	}
	rep.Held = th.held
	if th.held > 0 {
		s.Log.Info("sweep: notices held for the next pass", "held", th.held)
	}
	return rep, first
}

// askBank reports whether the scheduled pass should ask the bank about a:
// a payment whose callback has not come, or a refund not confirmed yet.
// Both wait ReconcileAfter first, as the bank's callback usually comes.
func askBank(a check.Attempt, now time.Time) bool {
	switch {
	case a.Status == check.AttemptPending:
		return now.Sub(a.Created) >= ReconcileAfter
	case a.RefundPending():
		return now.Sub(a.RefundAsked) >= ReconcileAfter
	}
	return false
}

// sweepKey is a check the pass looks at.
type sweepKey struct {
	key string
	pk  parsedKey
}

func (c sweepKey) ref() check.Ref {
	return check.Ref{ID: c.pk.ID, Operator: c.pk.Operator, Expires: c.pk.Expires, Created: c.pk.Day}
}

// sweepOne looks at one check, whose state the pass has read (nil: read it).
func (s *Service) sweepOne(ctx context.Context, key string, pk parsedKey, read *check.State, now time.Time, rep *SweepReport) error {
	var st check.State
	var err error
	if read != nil {
		st = *read
	} else if st, err = s.State(ctx, sweepKey{key, pk}.ref()); err != nil {
		return err
	}
	var ask []check.Attempt
	for _, a := range st.Attempts {
		if askBank(a, now) {
			ask = append(ask, a)
		}
	}
	// Only notices nobody is sending are retried: a notice claimed by a
	// request still within its lease is that request's to send, and one
	// that fails during this pass's own Apply or Move waits for the next
	// pass instead of being tried (and written) twice.
	retry := st.Claimable(now, ClaimLease)
	if len(retry) == 0 && st.Settling(now, ClaimLease) {
		retry = st.Pending // moot notices nobody sends: the retry's write drops them
	}
	expire := st.Status == check.Open && !now.Before(pk.Expires)
	last := pk.Expires.Add(SweepWindow).Before(now.Add(SweepEvery))
	if len(ask) == 0 && !expire && len(retry) == 0 && !(last && unsettled(st)) {
		return nil
	}
	if t, ok := s.Notifier.(*throttle); ok && last {
		// the check's last look: no later pass would send a held notice,
		// so this one tries them, flood control or not
		unheld := *s
		unheld.Notifier = t.next
		s = &unheld
	}
	chk, err := s.checkRecord(ctx, key)
	if err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	r := chk.Ref()
	if len(ask) > 0 && s.Bank != nil {
		m, err := s.Merchants.Get(ctx, chk.Merchant)
		if err != nil {
			return fmt.Errorf("sweep %s: %w", chk.ID, err)
		}
		for _, a := range ask {
			ev, err := s.Bank.Status(ctx, m, r, a)
			if err != nil {
				// One bank that cannot answer (down, or the merchant has
				// switched banks since) must not stop the check expiring
				// or its notices being retried below.
				rep.Failed++
				s.Log.Warn("sweep: ask bank", "check", chk.ID, "attempt", a.ProviderRef, "err", err)
				continue
			}
			if ev.Status == check.AttemptPending || ev.Status == a.Status {
				continue // no news: not paid yet, or the refund not through yet
			}
			if st, err = s.Apply(ctx, r, ev); err != nil {
				return err
			}
			rep.Reconciled++
		}
	}
	if st.Status == check.Open && !now.Before(pk.Expires) {
		moved, err := s.Move(ctx, r, check.Expired)
		switch {
		case errs.CodeOf(err) == errs.Conflict:
			// another request moved it first (a cancel, a payment,
			// another pass): nothing to expire
			if st, err = s.State(ctx, r); err != nil {
				return err
			}
		case err != nil:
			return err
		default:
			st = moved
			rep.Expired++
		}
	}
	if len(retry) > 0 {
		n, err := s.retry(ctx, chk, now)
		if err != nil {
			return err
		}
		rep.Retried += n
	}
	if last {
		s.giveUp(chk.ID, st)
	}
	return nil
}

// unsettled reports whether st holds work the scheduled pass would give up
// when the check leaves its window: notices not delivered, refunds the
// bank has not confirmed.
func unsettled(st check.State) bool {
	if len(st.Pending) > 0 {
		return true
	}
	for _, a := range st.Attempts {
		if a.RefundPending() {
			return true
		}
	}
	return false
}

// giveUp logs what is left unsettled on a check's last look: nothing will
// retry it, so an operator must learn it from the logs.
func (s *Service) giveUp(id string, st check.State) {
	for _, n := range st.Pending {
		s.Log.Warn("sweep: notice dropped, the check leaves the sweep window", "check", id, "notice", n.Key())
	}
	for _, a := range st.Attempts {
		if a.RefundPending() {
			s.Log.Warn("sweep: refund not confirmed by the bank, the check leaves the sweep window; no longer asking",
				"check", id, "provider", a.Provider, "attempt", a.ProviderRef, "asked", a.RefundAsked)
		}
	}
}

// retry claims the check's notices that nobody is sending (one write),
// sends them and records those delivered (another, if any was): the number
// delivered.
func (s *Service) retry(ctx context.Context, chk check.Check, now time.Time) (int, error) {
	var notices []check.Notice
	st, w, err := s.write(ctx, chk.Ref(), nil, func(st *check.State) (bool, error) {
		before := len(st.Pending)
		notices = st.Claim(nil, now, ClaimLease)
		return len(notices) > 0 || len(st.Pending) != before, nil
	})
	if err != nil {
		return 0, err
	}
	_, n, err := s.send(ctx, chk, st, w, notices)
	if err != nil {
		return n, fmt.Errorf("sweep: %w", err)
	}
	return n, nil
}
