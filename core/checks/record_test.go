package checks

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/paylastic/edge/core/bank"
	"github.com/paylastic/edge/core/cas"
	"github.com/paylastic/edge/core/cas/castest"
	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/kv"
)

// TestDeliveryRecordBlips: the paid notice went out and the first write
// that says so failed for a moment: it is written on a second try, so the
// scheduled pass, once the claim's lease is over, does not tell the
// operator again.
func TestDeliveryRecordBlips(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	p := f.create(t, "100", "telegram:42:5")
	r := p.Check.Ref()
	f.setState(t, r, func(st *check.State) {
		st.Attempts = append(st.Attempts, check.Attempt{Provider: "sandbox", ProviderRef: "pay1", Status: check.AttemptPending, Created: f.now, Valid: f.now.Add(time.Hour)})
	})
	bs := &castest.Faulty{Store: f.cas}
	f.svc.States = bs
	f.svc.Notifier = notifyThen{f.notes, func() { bs.FailNextPut.Store(true) }}
	if _, err := f.svc.Apply(ctx, r, check.Event{Provider: "sandbox", ProviderRef: "pay1", Status: check.AttemptSuccess}); err != nil {
		t.Fatal(err)
	}
	f.now = f.now.Add(ClaimLease + time.Minute)
	if _, err := f.svc.Sweep(ctx, f.now); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(f.notes.got, ","); got != "42:paid" {
		t.Errorf("notices = %s, want 42:paid once", got)
	}
}

// notifyThen notifies, then runs after (the storage blip after the send).
type notifyThen struct {
	Notifier
	after func()
}

func (n notifyThen) Notify(ctx context.Context, chk check.Check, no check.Notice) error {
	err := n.Notifier.Notify(ctx, chk, no)
	n.after()
	return err
}

// TestSaveBlips: the check's record fails to write once, right after its
// picture went out: Save writes it on a second try instead of making the
// message's redelivery send the picture again.
func TestSaveBlips(t *testing.T) {
	f := newFixture(t)
	p, err := f.svc.Prepare(context.Background(), NewCheck{Operator: f.op, Chat: check.Chat{Messenger: "telegram", ChatID: "42", UserID: "42", Lang: "uk"}, Amount: 100, Identity: "telegram:42:77", At: f.now})
	if err != nil {
		t.Fatal(err)
	}
	bk := &blipKV{Store: f.svc.KV}
	bk.failNextPut.Store(true)
	f.svc.KV = bk
	if err := f.svc.Save(context.Background(), p.Check); err != nil {
		t.Fatalf("Save after one failed write = %v, want nil", err)
	}
	if _, err := f.svc.Check(context.Background(), p.Check.Ref()); err != nil {
		t.Errorf("the check's record: %v", err)
	}
}

// blipKV fails the next Put once when failNextPut is set.
type blipKV struct {
	kv.Store
	failNextPut atomic.Bool
}

func (s *blipKV) Put(ctx context.Context, key string, v []byte, ttl time.Duration) error {
	if s.failNextPut.CompareAndSwap(true, false) {
		return errors.New("kv blip")
	}
	return s.Store.Put(ctx, key, v, ttl)
}

// TestLapsedClaimNotSent: the scheduled pass claims a pending notice and,
// before it can send it, is held up past the claim's lease (flood control,
// a slow isolate). Another pass may have claimed the notice since: this
// one must not send it too. The next pass sends it, once.
func TestLapsedClaimNotSent(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	p := f.create(t, "10", "telegram:42:9")
	f.notes.fail = true
	f.now = f.now.Add(31 * time.Minute)
	if rep, err := f.svc.Sweep(ctx, f.now); err != nil || rep.Expired != 1 {
		t.Fatalf("sweep = %+v, %v; want one expired", rep, err)
	}
	f.notes.fail = false
	f.now = f.now.Add(ClaimLease + time.Minute)
	held := &heldStates{Store: f.cas, after: func() { f.now = f.now.Add(ClaimLease + time.Second) }}
	f.svc.States = held
	held.armed.Store(true) // the pass's claim write, then the hold-up
	if _, err := f.svc.Sweep(ctx, f.now); err != nil {
		t.Fatal(err)
	}
	if len(f.notes.got) != 0 {
		t.Fatalf("a notice sent on a lapsed claim: %v", f.notes.got)
	}
	if _, err := f.svc.Sweep(ctx, f.now); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(f.notes.got, ","); got != "42:expired" {
		t.Errorf("notices = %s, want 42:expired once", got)
	}
	if st, _ := f.svc.State(ctx, p.Check.Ref()); len(st.Pending) != 0 {
		t.Errorf("still pending: %+v", st.Pending)
	}
}

// heldStates runs after once, after the first Put while armed.
type heldStates struct {
	cas.Store
	armed atomic.Bool
	after func()
}

func (s *heldStates) Put(ctx context.Context, key string, v []byte, version int64, expires time.Time) (int64, error) {
	n, err := s.Store.Put(ctx, key, v, version, expires)
	if s.armed.CompareAndSwap(true, false) {
		s.after()
	}
	return n, err
}

// TestPayRecordBlips: the bank made the payment and the first write of
// the attempt failed for a moment: it is recorded on a second try, so the
// buyer goes to that payment and a later press resumes it instead of
// making a second one at the bank (monobank has no idempotency).
func TestPayRecordBlips(t *testing.T) {
	f := newFixture(t)
	b, c := f.startingCheckout(t, "telegram:42:blip")
	bs := &castest.Faulty{Store: f.cas}
	f.svc.States = bs
	started := notifyAfterStart{b, func() { bs.FailNextPut.Store(true) }}
	f.svc.Bank = started
	if _, err := f.svc.Pay(context.Background(), c); err != nil {
		t.Fatalf("Pay with a blip after the bank = %v, want nil", err)
	}
	f.now = f.now.Add(StartLease + time.Second)
	if _, err := f.svc.Pay(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	if n := b.started.Load(); n != 1 {
		t.Errorf("the bank started %d payments, want 1", n)
	}
}

// notifyAfterStart runs after once the bank started a payment.
type notifyAfterStart struct {
	*startingBank
	after func()
}

func (n notifyAfterStart) Start(ctx context.Context, c bank.Checkout) (bank.Payment, error) {
	p, err := n.startingBank.Start(ctx, c)
	n.after()
	return p, err
}
