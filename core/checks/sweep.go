package checks

import (
	"context"
	"fmt"
	"time"

	"github.com/paylastic/edge/core/invoice"
	"github.com/paylastic/edge/core/kv"
)

const (
	// SweepWindow is how long after its expiry a check is still looked at by
	// the scheduled pass: late bank answers and failed notifications get
	// this long to be settled.
	SweepWindow = 2 * time.Hour
	// ReconcileAfter is how long a pending attempt waits for its callback
	// before the scheduled pass asks the bank.
	ReconcileAfter = 2 * time.Minute
)

// SweepReport says what one scheduled pass did.
type SweepReport struct {
	Seen, Expired, Reconciled, Retried, Failed int
}

// Sweep is the scheduled pass (DESIGN §5.3): it expires open checks past
// their expiry, asks the bank about attempts whose callback never came, and
// retries notifications that could not be sent. It looks at checks created
// today and yesterday (UTC), which covers every check still in its window
// as long as TTL + SweepWindow stays under a day. It goes on past a failing
// check and returns the first error with the report.
func (s *Service) Sweep(ctx context.Context, now time.Time) (SweepReport, error) {
	var rep SweepReport
	var first error
	keep := func(err error) {
		if err != nil {
			rep.Failed++
			if first == nil {
				first = err
			}
			if s.Log != nil {
				s.Log.Warn("sweep", "err", err)
			}
		}
	}
	for _, d := range []time.Time{now.AddDate(0, 0, -1), now} {
		keys, err := s.listAll(ctx, dayPrefix(d))
		if err != nil {
			return rep, fmt.Errorf("sweep: %w", err)
		}
		for _, k := range keys {
			pk, ok := parseInvoiceKey(k)
			if !ok || pk.Expires.Before(now.Add(-SweepWindow)) {
				continue
			}
			rep.Seen++
			keep(s.sweepOne(ctx, k, pk, now, &rep))
		}
	}
	return rep, first
}

func (s *Service) sweepOne(ctx context.Context, key string, pk parsedKey, now time.Time, rep *SweepReport) error {
	st, err := s.State(ctx, pk.ID)
	if err != nil {
		return err
	}
	var stale []invoice.Attempt
	for _, a := range st.Attempts {
		if a.Status == invoice.AttemptPending && now.Sub(a.Created) >= ReconcileAfter {
			stale = append(stale, a)
		}
	}
	// Only notices that were pending before this pass are retried here: a
	// notice that fails during this pass's own Apply or Move waits for the
	// next pass instead of being tried (and written) twice.
	retry := append([]invoice.Notice(nil), st.Pending...)
	expire := st.Status == invoice.Open && !now.Before(pk.Expires)
	if len(stale) == 0 && !expire && len(retry) == 0 {
		return nil
	}
	var inv invoice.Invoice
	if err := kv.GetJSON(ctx, s.KV, key, &inv); err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	r := inv.Ref()
	if len(stale) > 0 && s.Bank != nil {
		m, err := s.Merchants.Get(ctx, inv.Merchant)
		if err != nil {
			return fmt.Errorf("sweep %s: %w", inv.ID, err)
		}
		for _, a := range stale {
			ev, err := s.Bank.Status(ctx, m, r, a)
			if err != nil {
				// One bank that cannot answer (down, or the merchant has
				// switched banks since) must not stop the check expiring
				// or its notices being retried below.
				rep.Failed++
				if s.Log != nil {
					s.Log.Warn("sweep: ask bank", "check", inv.ID, "attempt", a.ProviderRef, "err", err)
				}
				continue
			}
			if ev.Status == invoice.AttemptPending {
				continue
			}
			if st, err = s.Apply(ctx, r, ev); err != nil {
				return err
			}
			rep.Reconciled++
		}
	}
	if st.Status == invoice.Open && !now.Before(pk.Expires) {
		if st, err = s.Move(ctx, r, invoice.Expired); err != nil {
			return err
		}
		rep.Expired++
	}
	delivered := 0
	for _, n := range retry {
		if !isPending(st, n) {
			continue
		}
		err := s.notify(ctx, inv, n)
		st.Delivered(n, err)
		if err == nil {
			delivered++
		}
	}
	if delivered > 0 { // nothing new to store when every retry failed again
		if err := s.SaveState(ctx, inv.ID, st); err != nil {
			return err
		}
		rep.Retried += delivered
	}
	return nil
}

func isPending(st invoice.State, n invoice.Notice) bool {
	for _, p := range st.Pending {
		if p.Key() == n.Key() {
			return true
		}
	}
	return false
}
