package banktest

import (
	"context"
	"testing"
	"time"

	"github.com/paylastic/edge/core/bank"
	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/merchant"
)

// Harness is a provider under test with its fake bank, as the flows below
// drive it: every bank must behave so, whatever its wire format. Each
// provider's tests fill one in from their rig.
type Harness struct {
	*Rig
	// Merchant is a merchant whose credentials the fake bank takes.
	Merchant merchant.Merchant
	// Start starts a payment for a new check at Merchant, as far as the
	// buyer takes it before paying, and returns the check, its token and
	// the payment.
	Start func() (check.Ref, string, bank.Payment)
	// Pay has the fake bank pay (success) or decline (for reason) the
	// attempt with the bank's reference ref, and send its callbacks.
	Pay func(ref string, success bool, reason string) error
	// SettleRefundsAfter makes the fake bank settle the refunds it takes d
	// after it takes them.
	SettleRefundsAfter func(d time.Duration)
	// Wait waits for the callbacks the fake bank is sending.
	Wait func()
	// New builds the provider under test talking to the bank at apiURL.
	New func(env bank.Env, apiURL string) bank.Provider
}

// DeclinedThenPaid has the bank decline the attempt at one new check (for
// reason) and, a minute later, pay the attempt at another, and returns the
// two payments and every callback the product's route got, in order. Every
// callback must be authentic and name its check's token and amount and an
// ID; what each says of its attempt is the bank's own, for the caller.
func DeclinedThenPaid(t *testing.T, h Harness, reason string) (declined, paid bank.Payment, got []Received) {
	t.Helper()
	refs := map[string]check.Ref{}
	tokens := map[string]string{}
	start := func() bank.Payment {
		r, token, p := h.Start()
		refs[p.Attempt.ProviderRef], tokens[p.Attempt.ProviderRef] = r, token
		return p
	}
	declined = start()
	if err := h.Pay(declined.Attempt.ProviderRef, false, reason); err != nil {
		t.Fatal(err)
	}
	paid = start()
	h.Clock.Advance(time.Minute)
	if err := h.Pay(paid.Attempt.ProviderRef, true, ""); err != nil {
		t.Fatal(err)
	}
	got = h.Received()
	for i, g := range got {
		if g.Err != nil {
			t.Fatalf("callback %d refused: %v", i, g.Err)
		}
		at := g.N.Event.ProviderRef
		if g.N.Token != tokens[at] || g.N.Amount != refs[at].Amount || g.N.ID == "" {
			t.Errorf("callback %d for %q names token %q, amount %v, id %q; want its check's %q, %v and an id",
				i, at, g.N.Token, g.N.Amount, g.N.ID, tokens[at], refs[at].Amount)
		}
	}
	return declined, paid, got
}

// PaidCallback starts an attempt at a new check, has the bank pay it and
// returns the callback that says so, the last the product's route got: it
// must be authentic and say the attempt succeeded. Tests of forged
// callbacks start from it.
func PaidCallback(t *testing.T, h Harness) Received {
	t.Helper()
	_, _, p := h.Start()
	if err := h.Pay(p.Attempt.ProviderRef, true, ""); err != nil {
		t.Fatal(err)
	}
	got := h.Received()
	if len(got) == 0 {
		t.Fatal("the bank sent no callback")
	}
	g := got[len(got)-1]
	if g.Err != nil || g.N.Event.Status != check.AttemptSuccess {
		t.Fatalf("the genuine callback: %+v %v", g.N, g.Err)
	}
	return g
}

// RefundSettledLater: a refund the bank answers with a status that is not
// final yet (processing) is accepted; Status says success until the bank
// settles it, then reversed, stamped after the payment.
func RefundSettledLater(t *testing.T, h Harness) {
	ctx := context.Background()
	r, _, p := h.Start()
	if err := h.Pay(p.Attempt.ProviderRef, true, ""); err != nil {
		t.Fatal(err)
	}
	paid, err := h.Provider.Status(ctx, h.Merchant, r, p.Attempt)
	if err != nil || paid.Status != check.AttemptSuccess {
		t.Fatalf("Status after paying = %+v, %v", paid, err)
	}
	h.SettleRefundsAfter(time.Minute)
	if err := h.Provider.Refund(ctx, h.Merchant, r, p.Attempt, r.Amount); err != nil {
		t.Fatalf("Refund answered processing: %v, want accepted", err)
	}
	steps := []struct {
		name    string
		advance time.Duration
		want    check.AttemptStatus
	}{
		{"right after", 0, check.AttemptSuccess},
		{"settled", time.Minute, check.AttemptReversed},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			h.Clock.Advance(s.advance)
			ev, err := h.Provider.Status(ctx, h.Merchant, r, p.Attempt)
			if err != nil || ev.Status != s.want {
				t.Fatalf("Status = %+v, %v; want %s", ev, err, s.want)
			}
			if s.want == check.AttemptReversed && !ev.Modified.After(paid.Modified) {
				t.Errorf("reversal stamped %v, want after the payment's %v", ev.Modified, paid.Modified)
			}
		})
	}
}

// Step is a step of an attempt's life and what Status must say after it.
type Step struct {
	Name   string
	Act    Act // nil: nothing happens
	Status check.AttemptStatus
	Reason string
}

// Act is what happens to attempt a at check ref after it is started.
type Act func(h Harness, ref check.Ref, a check.Attempt)

// StatusLife takes each step on an attempt at a new check, on a harness
// newHarness gives the step, and asks Status: it must be provider's word
// on the attempt, with the step's status and reason. more, if not nil,
// checks what else the provider's events must say.
func StatusLife(t *testing.T, provider string, newHarness func(t *testing.T) Harness, steps []Step, more func(t *testing.T, ev check.Event, a check.Attempt)) {
	for _, tt := range steps {
		t.Run(tt.Name, func(t *testing.T) {
			h := newHarness(t)
			r, _, p := h.Start()
			if tt.Act != nil {
				tt.Act(h, r, p.Attempt)
			}
			ev, err := h.Provider.Status(context.Background(), h.Merchant, r, p.Attempt)
			if err != nil {
				t.Fatalf("Status: %v", err)
			}
			if ev.Status != tt.Status || ev.Reason != tt.Reason || ev.ProviderRef != p.Attempt.ProviderRef || ev.Provider != provider {
				t.Errorf("Status = %+v, want %s %q", ev, tt.Status, tt.Reason)
			}
			if more != nil {
				more(t, ev, p.Attempt)
			}
		})
	}
}

// After is the act of waiting d.
func After(d time.Duration) Act {
	return func(h Harness, _ check.Ref, _ check.Attempt) { h.Clock.Advance(d) }
}

// Paid is the act of the buyer paying.
func Paid(h Harness, _ check.Ref, a check.Attempt) {
	if err := h.Pay(a.ProviderRef, true, ""); err != nil {
		h.T.Errorf("Pay: %v", err)
	}
}

// Declined is the act of the bank declining the payment for reason.
func Declined(reason string) Act {
	return func(h Harness, _ check.Ref, a check.Attempt) {
		if err := h.Pay(a.ProviderRef, false, reason); err != nil {
			h.T.Errorf("Pay: %v", err)
		}
	}
}

// Refunded is the act of the buyer paying and the merchant refunding it
// all, once the bank has sent its callbacks.
func Refunded(h Harness, r check.Ref, a check.Attempt) {
	Paid(h, r, a)
	if err := h.Provider.Refund(context.Background(), h.Merchant, r, a, r.Amount); err != nil {
		h.T.Errorf("Refund: %v", err)
	}
	h.Wait()
}

// Cancelled is the act of the check being cancelled before it is paid.
func Cancelled(h Harness, r check.Ref, a check.Attempt) {
	if err := h.Provider.Cancel(context.Background(), h.Merchant, r, a); err != nil {
		h.T.Errorf("Cancel: %v", err)
	}
}

// StaleIgnored applies the authentic callbacks fresh in order to a new
// check state with attempt a, each changing it, and then stale, a late
// callback of the same attempt: the check must be status after fresh, and
// stale must change nothing and tell no one.
func StaleIgnored(t *testing.T, now time.Time, a check.Attempt, fresh []Received, stale Received, status check.Status) {
	t.Helper()
	st := check.NewState()
	st.Attempts = append(st.Attempts, a)
	if stale.Err != nil {
		t.Fatalf("the stale callback: %v", stale.Err)
	}
	for i, g := range fresh {
		if g.Err != nil {
			t.Fatalf("callback %d: %v", i, g.Err)
		}
		if changed, _ := st.Apply(g.N.Event, now); !changed {
			t.Fatalf("callback %d not applied: %+v", i, st)
		}
	}
	if st.Status != status {
		t.Fatalf("after the fresh callbacks the check is %s, want %s", st.Status, status)
	}
	before := st
	if changed, notices := st.Apply(stale.N.Event, now); changed || len(notices) != 0 || st.Status != status {
		t.Errorf("the stale callback changed the state: %+v → %+v", before, st)
	}
}
