package checks

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/paylastic/edge/core/bank"
	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/merchant"
	"github.com/paylastic/edge/core/money"
)

// parallel runs f n times at once and waits for all.
func parallel(n int, f func(i int)) {
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			f(i)
		}()
	}
	close(start)
	wg.Wait()
}

// TestParallelEventsNotifyOnce reproduces what was seen with the state in
// KV (read, send, save): 20 identical signed callbacks at once sent the
// cashier 6 and 4 «Оплачено»; 10 successes and 10 older failures at once
// sent 17 messages, 9 of them a failure. Every change is now one
// conditional write, and only its winner notifies.
func TestParallelEventsNotifyOnce(t *testing.T) {
	tests := []struct {
		name   string
		events func(i int) check.Event
	}{
		{"20 identical successes", func(int) check.Event {
			return check.Event{Provider: "sandbox", ProviderRef: "pay1", Status: check.AttemptSuccess}
		}},
		{"10 successes, 10 older failures", func(i int) check.Event {
			if i%2 == 0 {
				return check.Event{Provider: "sandbox", ProviderRef: "pay1", Status: check.AttemptSuccess, Modified: f0.Add(2 * time.Second)}
			}
			return check.Event{Provider: "sandbox", ProviderRef: "pay1", Status: check.AttemptFailure, Reason: "declined", Modified: f0.Add(time.Second)}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			p := f.create(t, "100", "telegram:42:"+tt.name)
			r := p.Check.Ref()
			f.setState(t, r, func(st *check.State) {
				st.Attempts = []check.Attempt{{Provider: "sandbox", ProviderRef: "pay1", Status: check.AttemptPending, Created: f.now, Valid: p.Check.Expires}}
			})
			parallel(20, func(i int) {
				if _, err := f.svc.Apply(context.Background(), r, tt.events(i)); err != nil {
					t.Error(err)
				}
			})
			st, _ := f.svc.State(context.Background(), r)
			if st.Status != check.Paid {
				t.Errorf("status = %s, want paid", st.Status)
			}
			// a failure older than the success may land first: then the
			// cashier hears of it before the payment, never after it
			got := strings.Join(f.notes.got, ",")
			if !strings.HasSuffix(got, "42:paid") || strings.Count(got, "paid") != 1 || strings.Count(got, "failed") > 1 {
				t.Errorf("notices = %s, want one 42:paid, last", got)
			}
			if len(st.Pending) != 0 {
				t.Errorf("pending = %v, want none", st.Pending)
			}
		})
	}
}

// heldNotifier holds the sending of a failure notice until released, as a
// messenger slow to answer holds one request while another goes on.
type heldNotifier struct {
	next    Notifier
	sending chan struct{} // closed when the failure's send has begun
	release chan struct{}
}

func (h *heldNotifier) Notify(ctx context.Context, chk check.Check, n check.Notice) error {
	if n.Kind == check.NoticeFailed {
		close(h.sending)
		<-h.release
	}
	return h.next.Notify(ctx, chk, n)
}

// TestFailureBeingSentIsNotToldAfterPaid reproduces the rare order that
// TestParallelEventsNotifyOnce met once in 100 runs: a request sending a
// failure notice is slowed down, a success lands meanwhile, and its
// «Оплачено» went out first, so the cashier read "failed" last and asked
// the buyer to pay again. The paid notice now waits for the failure being
// sent, and goes out right after it, from the request that sent it.
func TestFailureBeingSentIsNotToldAfterPaid(t *testing.T) {
	f := newFixture(t)
	held := &heldNotifier{next: f.notes, sending: make(chan struct{}), release: make(chan struct{})}
	f.svc.Notifier = held
	p := f.create(t, "100", "telegram:42:held")
	r := p.Check.Ref()
	f.setState(t, r, func(st *check.State) {
		st.Attempts = []check.Attempt{
			{Provider: "sandbox", ProviderRef: "pay1", Status: check.AttemptPending, Created: f.now, Valid: p.Check.Expires},
			{Provider: "sandbox", ProviderRef: "pay2", Status: check.AttemptPending, Created: f.now, Valid: p.Check.Expires},
		}
	})
	failed := make(chan error)
	go func() {
		_, err := f.svc.Apply(context.Background(), r, check.Event{Provider: "sandbox", ProviderRef: "pay1", Status: check.AttemptFailure, Reason: "declined"})
		failed <- err
	}()
	<-held.sending
	if _, err := f.svc.Apply(context.Background(), r, check.Event{Provider: "sandbox", ProviderRef: "pay2", Status: check.AttemptSuccess}); err != nil {
		t.Fatal(err)
	}
	close(held.release)
	if err := <-failed; err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(f.notes.got, ","); got != "42:failed:pay1,42:paid" {
		t.Errorf("notices = %s, want the failure being sent, then paid", got)
	}
	st, _ := f.svc.State(context.Background(), r)
	if st.Status != check.Paid || len(st.Pending) != 0 {
		t.Errorf("state %s, pending %v; want paid, none pending", st.Status, st.Pending)
	}
	// the scheduled pass finds nothing left to send
	f.now = f.now.Add(time.Hour)
	if _, err := f.svc.Sweep(context.Background(), f.now); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(f.notes.got, ","); got != "42:failed:pay1,42:paid" {
		t.Errorf("after the sweep, notices = %s", got)
	}
}

// TestMootFailureIsDroppedOnceItsSenderDied: a request claimed a failure
// notice and died; the check was paid meanwhile. The paid notice waits for
// the claim to lapse, then the scheduled pass sends «Оплачено» and drops the
// failure, never sending it.
func TestMootFailureIsDroppedOnceItsSenderDied(t *testing.T) {
	f := newFixture(t)
	p := f.create(t, "100", "telegram:42:died")
	r := p.Check.Ref()
	f.setState(t, r, func(st *check.State) {
		st.Attempts = []check.Attempt{{Provider: "sandbox", ProviderRef: "pay1", Status: check.AttemptFailure, Created: f.now, Valid: p.Check.Expires}}
		st.Claim([]check.Notice{{Kind: check.NoticeFailed, Attempt: "pay1", At: f.now}}, f.now, ClaimLease)
	})
	if _, err := f.svc.Apply(context.Background(), r, check.Event{Provider: "sandbox", ProviderRef: "pay2", Status: check.AttemptSuccess}); err != nil {
		t.Fatal(err)
	}
	if len(f.notes.got) != 0 {
		t.Fatalf("notices while the failure's claim holds = %v, want none", f.notes.got)
	}
	f.now = f.now.Add(ClaimLease)
	if rep, err := f.svc.Sweep(context.Background(), f.now); err != nil || rep.Retried != 1 {
		t.Fatalf("sweep after the lease = %+v, %v; want one retried", rep, err)
	}
	if got := strings.Join(f.notes.got, ","); got != "42:paid" {
		t.Errorf("notices = %s, want 42:paid alone", got)
	}
	st, _ := f.svc.State(context.Background(), r)
	if len(st.Pending) != 0 {
		t.Errorf("pending = %v, want none", st.Pending)
	}
}

// TestReplayedEventLeavesALapsedNoticeToTheSweep: a replayed callback
// changes nothing, so its request writes nothing and must not send a
// notice whose claim lapsed: with no claim written, two such requests
// would both send it (the reliability suite's seed 16 of TestFaults told
// «Оплачено» twice). The scheduled pass claims it and sends it once.
func TestReplayedEventLeavesALapsedNoticeToTheSweep(t *testing.T) {
	f := newFixture(t)
	p := f.create(t, "100", "telegram:42:replayed")
	r := p.Check.Ref()
	paid := check.Event{Provider: "sandbox", ProviderRef: "pay1", Status: check.AttemptSuccess}
	f.setState(t, r, func(st *check.State) {
		st.Attempts = []check.Attempt{{Provider: "sandbox", ProviderRef: "pay1", Status: check.AttemptPending, Created: f.now, Valid: p.Check.Expires}}
		_, ns := st.Apply(paid, f.now)
		st.Claim(ns, f.now, ClaimLease) // its request died
	})
	f.now = f.now.Add(ClaimLease + time.Second)
	parallel(5, func(int) {
		if _, err := f.svc.Apply(context.Background(), r, paid); err != nil {
			t.Error(err)
		}
	})
	if len(f.notes.got) != 0 {
		t.Fatalf("replayed callbacks sent %v, want nothing", f.notes.got)
	}
	if rep, err := f.svc.Sweep(context.Background(), f.now); err != nil || rep.Retried != 1 {
		t.Fatalf("sweep = %+v, %v; want one retried", rep, err)
	}
	if got := strings.Join(f.notes.got, ","); got != "42:paid" {
		t.Errorf("notices = %s, want 42:paid once", got)
	}
}

// f0 is the fixture's clock at its start.
var f0 = time.Date(2026, 1, 2, 10, 0, 0, 0, time.UTC)

// startingCheckout is a check of 100 made by the chat key, the checkout of
// its payment, and the startingBank the service now starts payments at.
func (f *fixture) startingCheckout(t *testing.T, key string) (*startingBank, bank.Checkout) {
	t.Helper()
	b := &startingBank{}
	f.svc.Bank = b
	p := f.create(t, "100", key)
	return b, bank.Checkout{Merchant: p.Merchant, Ref: p.Check.Ref(), Valid: p.Check.Expires}
}

// startingBank starts payments slowly (so that requests overlap) and
// counts them.
type startingBank struct {
	stubBank
	started atomic.Int32
	fail    atomic.Bool
}

func (b *startingBank) Start(_ context.Context, c bank.Checkout) (bank.Payment, error) {
	n := b.started.Add(1)
	time.Sleep(20 * time.Millisecond)
	if b.fail.Load() {
		return bank.Payment{}, errors.New("bank down")
	}
	ref := fmt.Sprintf("inv%d", n)
	return bank.Payment{
		Attempt:  check.Attempt{Provider: "sandbox", ProviderRef: ref, Status: check.AttemptPending, Created: time.Now(), Valid: c.Valid, PayURL: "https://bank.test/" + ref},
		Redirect: bank.Redirect{URL: "https://bank.test/" + ref},
	}, nil
}

func (b *startingBank) Refund(context.Context, merchant.Merchant, check.Ref, check.Attempt, money.Amount) error {
	return nil
}

// wantOnePaymentThenPaid checks that the requests that sent their buyers to
// urls started one payment at the bank and all went to it, then pays it.
func (f *fixture) wantOnePaymentThenPaid(t *testing.T, b *startingBank, c bank.Checkout, urls []string) {
	t.Helper()
	if n := b.started.Load(); n != 1 {
		t.Fatalf("bank asked to start %d payments, want 1", n)
	}
	for i, u := range urls {
		if u != "https://bank.test/inv1" {
			t.Errorf("request %d sent to %q, want the one payment", i, u)
		}
	}
	if _, err := f.svc.Apply(context.Background(), c.Ref, check.Event{Provider: "sandbox", ProviderRef: "inv1", Status: check.AttemptSuccess}); err != nil {
		t.Fatal(err)
	}
}

// TestParallelPayStartsOnePayment: of 10 buyers' requests at once (tabs,
// locations), one starts the payment at the bank and the others resume it;
// once the check is paid, Pay refuses: a paid check is never paid again.
func TestParallelPayStartsOnePayment(t *testing.T) {
	f := newFixture(t)
	b, c := f.startingCheckout(t, "telegram:42:pay")
	urls := make([]string, 10)
	parallel(10, func(i int) {
		rd, err := f.svc.Pay(context.Background(), c)
		if err != nil {
			t.Error(err)
		}
		urls[i] = rd.URL
	})
	f.wantOnePaymentThenPaid(t, b, c, urls)
	_, err := f.svc.Pay(context.Background(), c)
	if !errors.Is(err, ErrNotPayable) || errs.CodeOf(err) != errs.Conflict {
		t.Errorf("Pay of a paid check = %v, want a conflict: not payable", err)
	}
	if n := b.started.Load(); n != 1 {
		t.Errorf("bank asked to start %d payments, want still 1", n)
	}
}

// TestPayFromStaleSnapshots: ten requests that each read the open check
// before any of them claimed it (ten payment pages' POSTs at once) claim
// from their copies: one starts the payment, the others' writes fail on
// the version, read again and resume it; a copy from before the payment
// does not pay the check again.
func TestPayFromStaleSnapshots(t *testing.T) {
	f := newFixture(t)
	b, c := f.startingCheckout(t, "telegram:42:snapshots")
	snaps := make([]Snapshot, 10)
	for i := range snaps {
		var err error
		if snaps[i], err = f.svc.Snapshot(context.Background(), c.Ref); err != nil {
			t.Fatal(err)
		}
	}
	urls := make([]string, len(snaps))
	parallel(len(snaps), func(i int) {
		rd, err := f.svc.PayFrom(context.Background(), c, snaps[i])
		if err != nil {
			t.Error(err)
		}
		urls[i] = rd.URL
	})
	f.wantOnePaymentThenPaid(t, b, c, urls)
	if _, err := f.svc.PayFrom(context.Background(), c, snaps[0]); !errors.Is(err, ErrNotPayable) || b.started.Load() != 1 {
		t.Errorf("PayFrom a copy from before the payment = %v (started %d), want not payable", err, b.started.Load())
	}
}

// TestPayAfterAFailedStart: a start the bank failed lets go of its claim:
// the next request starts at once rather than waiting out the lease.
func TestPayAfterAFailedStart(t *testing.T) {
	f := newFixture(t)
	b, c := f.startingCheckout(t, "telegram:42:failstart")
	b.fail.Store(true)
	if _, err := f.svc.Pay(context.Background(), c); !errors.Is(err, ErrBank) {
		t.Fatalf("Pay with the bank down = %v, want ErrBank", err)
	}
	b.fail.Store(false)
	if _, err := f.svc.Pay(context.Background(), c); err != nil {
		t.Fatalf("Pay after = %v", err)
	}
	if st, _ := f.svc.State(context.Background(), c.Ref); st.Starting != nil || len(st.Attempts) != 1 {
		t.Errorf("state = %+v, want one attempt and no claim", st)
	}
}

// TestPayWaitsOutALostClaim: a request that died while starting leaves its
// claim; others wait (ErrBusy) until its lease is over, then start.
func TestPayWaitsOutALostClaim(t *testing.T) {
	f := newFixture(t)
	b, c := f.startingCheckout(t, "telegram:42:lost")
	f.setState(t, c.Ref, func(st *check.State) { st.Starting = &check.Claim{Seq: 1, At: f.now} })
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := f.svc.Pay(ctx, c); err == nil || b.started.Load() != 0 {
		t.Fatalf("Pay during another's claim = %v (started %d), want to wait", err, b.started.Load())
	}
	f.now = f.now.Add(StartLease)
	if _, err := f.svc.Pay(context.Background(), c); err != nil || b.started.Load() != 1 {
		t.Fatalf("Pay after the lease = %v (started %d), want one start", err, b.started.Load())
	}
}

// TestParallelRefundAsksOnce: two confirmations of one refund at once (two
// devices, a redelivered press) ask the bank once.
func TestParallelRefundAsksOnce(t *testing.T) {
	f := newFixture(t)
	b := &refundCounter{}
	f.svc.Bank = b
	p := f.create(t, "100", "telegram:42:refund")
	r := p.Check.Ref()
	f.setState(t, r, func(st *check.State) {
		st.Status = check.Paid
		st.Attempts = []check.Attempt{{Provider: "sandbox", ProviderRef: "pay1", Status: check.AttemptSuccess, Created: f.now, Valid: p.Check.Expires}}
	})
	parallel(5, func(int) {
		if _, err := f.svc.Refund(context.Background(), f.op, r); err != nil {
			t.Error(err)
		}
	})
	if n := b.refunds.Load(); n != 1 {
		t.Errorf("bank asked for %d refunds, want 1", n)
	}
	st, _ := f.svc.State(context.Background(), r)
	if a, _ := st.Attempt("pay1"); a.RefundAsked.IsZero() || st.Refunding != nil {
		t.Errorf("state = %+v, want the refund marked asked and no claim left", st)
	}
}

// refundCounter accepts refunds slowly and counts them; its status says
// the refund is not through yet.
type refundCounter struct {
	stubBank
	refunds atomic.Int32
}

func (b *refundCounter) Refund(context.Context, merchant.Merchant, check.Ref, check.Attempt, money.Amount) error {
	b.refunds.Add(1)
	time.Sleep(20 * time.Millisecond)
	return nil
}

// TestClaimedNoticeIsNotRetriedWithinItsLease: the scheduled pass leaves a
// notice a live request is sending, and takes it over once the claim is
// older than ClaimLease (its request died): one send either way.
func TestClaimedNoticeIsNotRetriedWithinItsLease(t *testing.T) {
	f := newFixture(t)
	p := f.create(t, "100", "telegram:42:claimed")
	r := p.Check.Ref()
	f.setState(t, r, func(st *check.State) {
		st.Status = check.Paid
		st.Claim([]check.Notice{{Kind: check.NoticePaid, At: f.now}}, f.now, ClaimLease)
	})
	f.now = f.now.Add(time.Minute)
	if rep, err := f.svc.Sweep(context.Background(), f.now); err != nil || rep.Retried != 0 {
		t.Fatalf("sweep within the lease = %+v, %v; want nothing retried", rep, err)
	}
	f.now = f.now.Add(ClaimLease)
	if rep, err := f.svc.Sweep(context.Background(), f.now); err != nil || rep.Retried != 1 {
		t.Fatalf("sweep after the lease = %+v, %v; want one retried", rep, err)
	}
	if got := strings.Join(f.notes.got, ","); got != "42:paid" {
		t.Errorf("notices = %s, want 42:paid once", got)
	}
}
