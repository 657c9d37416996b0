package checks

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/merchant"
)

// refundingBank says success for a payment whose refund it has not settled
// yet, and reversed once settled.
type refundingBank struct {
	stubBank
	mu      sync.Mutex
	settled bool
	asked   int
	at      time.Time // the bank's time of the reversal
}

func (b *refundingBank) Status(_ context.Context, _ merchant.Merchant, _ check.Ref, a check.Attempt) (check.Event, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.asked++
	ev := check.Event{Provider: a.Provider, ProviderRef: a.ProviderRef, Status: check.AttemptSuccess, Modified: a.Modified}
	if b.settled {
		ev.Status, ev.Modified = check.AttemptReversed, b.at
	}
	return ev, nil
}

func (b *refundingBank) settle(at time.Time) { b.mu.Lock(); b.settled, b.at = true, at; b.mu.Unlock() }
func (b *refundingBank) calls() int          { b.mu.Lock(); defer b.mu.Unlock(); return b.asked }

// logTo makes the service log into a buffer.
func logTo(svc *Service) *bytes.Buffer {
	var buf bytes.Buffer
	svc.Log = slog.New(slog.NewTextHandler(&buf, nil))
	return &buf
}

// paidWithRefundAsked stores a check paid at monobank whose refund was
// asked at the fixture's clock.
func (f *fixture) paidWithRefundAsked(t *testing.T, identity string) Prepared {
	t.Helper()
	p := f.create(t, "10", identity)
	st, _ := f.svc.State(context.Background(), p.Check.ID)
	st.Status = check.Paid
	st.Notified = []string{"paid"}
	st.Attempts = []check.Attempt{{Provider: "monobank", ProviderRef: "chk-" + identity, Status: check.AttemptSuccess,
		Created: f.now, Modified: f.now, Valid: p.Check.Expires, RefundAsked: f.now}}
	if err := f.svc.SaveState(context.Background(), p.Check.ID, st); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestSweepFindsALostReversal: a refund was asked and the bank's reversal
// webhook never came. The scheduled pass asks the bank (after
// ReconcileAfter), writes nothing while the refund is not through, records
// the reversal once it is, and tells the operator exactly once.
func TestSweepFindsALostReversal(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	p := f.paidWithRefundAsked(t, "telegram:42:300")
	b := &refundingBank{}
	f.svc.Bank = b
	steps := []struct {
		name           string
		advance        time.Duration
		settle         bool
		wantAsked      int // bank calls so far
		wantWrites     int64
		wantReconciled int
		wantStatus     check.Status
	}{
		{"too soon to ask", time.Minute, false, 0, 0, 0, check.Paid},
		{"not through yet", 2 * time.Minute, false, 1, 0, 0, check.Paid},
		{"reversed", 5 * time.Minute, true, 2, 1, 1, check.Refunded},
		{"settled: not asked again", 5 * time.Minute, false, 2, 0, 0, check.Refunded},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			f.now = f.now.Add(s.advance)
			if s.settle {
				b.settle(f.now)
			}
			before := f.kv.Snapshot()
			rep, err := f.svc.Sweep(ctx, f.now)
			if err != nil {
				t.Fatal(err)
			}
			if got := b.calls(); got != s.wantAsked {
				t.Errorf("bank asked %d times, want %d", got, s.wantAsked)
			}
			if got := f.kv.Snapshot().Sub(before).Puts; got != s.wantWrites {
				t.Errorf("KV writes = %d, want %d", got, s.wantWrites)
			}
			if rep.Reconciled != s.wantReconciled {
				t.Errorf("reconciled = %d, want %d", rep.Reconciled, s.wantReconciled)
			}
			if st, _ := f.svc.State(ctx, p.Check.ID); st.Status != s.wantStatus {
				t.Errorf("status = %s, want %s", st.Status, s.wantStatus)
			}
		})
	}
	if got := strings.Join(f.notes.got, ","); got != "42:refunded" {
		t.Errorf("notices = %s, want 42:refunded once", got)
	}
}

// TestSweepGivesUpOnARefundAtTheWindowsEnd: a refund the bank never
// confirms is asked about until the check leaves the sweep window, and the
// last look says so in the logs, once; after that the bank is not asked.
func TestSweepGivesUpOnARefundAtTheWindowsEnd(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	p := f.paidWithRefundAsked(t, "telegram:42:301")
	b := &refundingBank{}
	f.svc.Bank = b
	logs := logTo(f.svc)
	end := p.Check.Expires.Add(SweepWindow)
	for _, at := range []time.Time{end.Add(-2 * SweepEvery), end.Add(-SweepEvery), end.Add(-time.Minute), end.Add(time.Second)} {
		f.now = at
		if _, err := f.svc.Sweep(ctx, f.now); err != nil {
			t.Fatal(err)
		}
	}
	if got := strings.Count(logs.String(), "refund not confirmed by the bank"); got != 1 {
		t.Errorf("gave up %d times in the logs, want once:\n%s", got, logs)
	}
	if got := b.calls(); got != 3 {
		t.Errorf("bank asked %d times, want 3 (none after the window)", got)
	}
}
