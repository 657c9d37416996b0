package checks

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paylastic/edge/core/bank"
	"github.com/paylastic/edge/core/cas"
	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/kv"
	"github.com/paylastic/edge/core/merchant"
	"github.com/paylastic/edge/core/money"
	"github.com/paylastic/edge/internal/testsupport"
)

type recorder struct {
	mu   sync.Mutex
	got  []string
	fail bool
}

func (r *recorder) Notify(_ context.Context, chk check.Check, n check.Notice) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail {
		return errors.New("messenger down")
	}
	r.got = append(r.got, chk.Chat.ChatID+":"+n.Key())
	return nil
}

type fixture struct {
	svc   *Service
	kv    *kv.Counting
	cas   *cas.Mem
	now   time.Time
	op    merchant.Operator
	notes *recorder
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{now: testsupport.T0, notes: &recorder{}}
	clock := func() time.Time { return f.now }
	f.kv = &kv.Counting{Store: kv.NewMem(clock)}
	f.cas = cas.NewMem(clock)
	signer := check.NewSigner("secret")
	rnd := testsupport.Rand(7)
	ms := merchant.Store{DB: f.cas, Now: clock, Rand: rnd, Secret: signer.Key(), DefaultProvider: "sandbox"}
	f.svc = &Service{KV: f.kv, States: f.cas, Now: clock, Rand: rnd, Signer: signer, Merchants: ms, Notifier: f.notes,
		Bank: stubBank{}, Log: testsupport.Discard(), TTL: 30 * time.Minute}
	m, code, err := ms.Create(context.Background(), "Кавʼярня", 500*money.Hryvnia)
	if err != nil {
		t.Fatal(err)
	}
	_, op, err := ms.Redeem(context.Background(), code, "telegram", "42", "Оля")
	if err != nil || op.Merchant != m.ID {
		t.Fatalf("redeem: %+v %v", op, err)
	}
	f.op = op
	return f
}

// setState changes a check's state as the use cases would (a conditional
// write), for a test to start from it.
func (f *fixture) setState(t *testing.T, r check.Ref, change func(st *check.State)) {
	t.Helper()
	if _, err := f.svc.update(context.Background(), r, func(st *check.State) (bool, error) {
		change(st)
		return true, nil
	}); err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) create(t *testing.T, amount, identity string) Prepared {
	t.Helper()
	a, err := money.Parse(amount, 0)
	if err != nil {
		t.Fatalf("amount %q: %v", amount, err)
	}
	p, err := f.svc.Prepare(context.Background(), NewCheck{Operator: f.op, Chat: check.Chat{Messenger: "telegram", ChatID: "42", UserID: "42", Lang: "uk"}, Amount: a, Identity: identity, At: f.now})
	if err != nil {
		t.Fatalf("prepare %s: %v", amount, err)
	}
	if p.Fresh {
		if err := f.svc.Save(context.Background(), p.Check); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

func TestPrepareIsIdempotentPerMessage(t *testing.T) {
	f := newFixture(t)
	a := f.create(t, "12,50", "telegram:42:1")
	if !a.Fresh || a.Check.Amount != 1250 || len(a.Check.ID) != 26 {
		t.Fatalf("first = %+v", a)
	}
	before := f.kv.Snapshot()
	b := f.create(t, "12,50", "telegram:42:1")
	if b.Fresh || b.Token != a.Token {
		t.Fatalf("redelivery fresh=%v token equal=%v; want not fresh, same token", b.Fresh, b.Token == a.Token)
	}
	if d := f.kv.Snapshot().Sub(before); d.Puts != 0 {
		t.Errorf("redelivery wrote %d times", d.Puts)
	}
	if c := f.create(t, "12,50", "telegram:42:2"); c.Check.ID == a.Check.ID {
		t.Error("another message got the same check id")
	}
}

// TestPrepareRefusesOverTheLimit: an amount over the merchant's limit (500
// грн here) is errs.Invalid wrapping the ParseError that names the limit,
// and writes nothing.
func TestPrepareRefusesOverTheLimit(t *testing.T) {
	f := newFixture(t)
	for _, a := range []money.Amount{50001, money.MaxAmount, money.MaxAmount + 1} {
		before := f.kv.Snapshot()
		_, err := f.svc.Prepare(context.Background(), NewCheck{Operator: f.op, Amount: a, Identity: fmt.Sprint("x:", a), At: f.now})
		var pe *money.ParseError
		if errs.CodeOf(err) != errs.Invalid || !errors.As(err, &pe) || pe.Reason != money.TooLarge || pe.Limit != 500*money.Hryvnia {
			t.Errorf("Prepare(%d) = %v; want Invalid wrapping a too-large ParseError with the 500 грн limit", a, err)
		}
		if d := f.kv.Snapshot().Sub(before); d.Puts != 0 {
			t.Errorf("Prepare(%d) wrote to KV", a)
		}
	}
	if _, err := f.svc.Prepare(context.Background(), NewCheck{Operator: f.op, Amount: 50000, Identity: "x:limit", At: f.now}); err != nil {
		t.Errorf("Prepare at the limit = %v", err)
	}
}

// writingNotifier writes the check's state while a notice is being sent,
// as another request would (a second attempt recorded).
type writingNotifier struct {
	next  Notifier
	write func()
}

func (n writingNotifier) Notify(ctx context.Context, chk check.Check, nt check.Notice) error {
	if n.write != nil {
		n.write()
	}
	return n.next.Notify(ctx, chk, nt)
}

// TestDeliveryIsRecordedWithoutReadingAgain: the write that records a
// delivery starts from the state this request wrote a moment before (one
// read of the consistent store for a paid callback, not two: a D1 round
// trip on the Worker); if another request wrote in between, it reads and
// still records the delivery, keeping the other's change.
func TestDeliveryIsRecordedWithoutReadingAgain(t *testing.T) {
	for _, between := range []bool{false, true} {
		t.Run(fmt.Sprintf("another write in between %v", between), func(t *testing.T) {
			f := newFixture(t)
			ctx := context.Background()
			p := f.create(t, "100", fmt.Sprintf("telegram:42:between-%v", between))
			r := p.Check.Ref()
			f.setState(t, r, func(st *check.State) {
				st.Attempts = []check.Attempt{{Provider: "sandbox", ProviderRef: "pay1", Status: check.AttemptPending, Created: f.now, Valid: f.now.Add(time.Hour)}}
			})
			wn := writingNotifier{next: f.notes}
			if between {
				wn.write = func() {
					f.setState(t, r, func(st *check.State) {
						st.Attempts = append(st.Attempts, check.Attempt{Provider: "sandbox", ProviderRef: "pay2", Status: check.AttemptPending, Created: f.now, Valid: f.now.Add(time.Hour)})
					})
				}
			}
			f.svc.Notifier = wn
			reads, writes := f.cas.Gets(), f.cas.Puts()
			if _, err := f.svc.Apply(ctx, r, check.Event{Provider: "sandbox", ProviderRef: "pay1", Status: check.AttemptSuccess}); err != nil {
				t.Fatal(err)
			}
			wantReads, wantWrites := 1, 2
			if between {
				// and setState's read and write; the record's first write fails
				// (not counted), so it reads, and writes
				wantReads, wantWrites = 3, 3
			}
			if got := f.cas.Gets() - reads; got != wantReads {
				t.Errorf("state reads = %d, want %d", got, wantReads)
			}
			if got := f.cas.Puts() - writes; got != wantWrites {
				t.Errorf("state writes = %d, want %d", got, wantWrites)
			}
			st, _ := f.svc.State(ctx, r)
			if !st.WasNotified("paid") || len(st.Pending) != 0 {
				t.Errorf("notified %v, pending %v; want paid delivered", st.Notified, st.Pending)
			}
			if between && len(st.Attempts) != 2 {
				t.Errorf("attempts = %+v, want the other request's kept", st.Attempts)
			}
		})
	}
}

func TestApplyNotifiesOnceAndCountsWrites(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	p := f.create(t, "100", "telegram:42:5")
	r := p.Check.Ref()
	before := f.kv.Snapshot()
	f.setState(t, r, func(st *check.State) {
		st.Attempts = append(st.Attempts, check.Attempt{Provider: "sandbox", ProviderRef: "pay1", Status: check.AttemptPending, Created: f.now, Valid: f.now.Add(time.Hour)})
	})
	beforeCAS := f.cas.Puts()
	for i := 0; i < 3; i++ {
		if _, err := f.svc.Apply(ctx, r, check.Event{Provider: "sandbox", ProviderRef: "pay1", Status: check.AttemptSuccess}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.svc.Apply(ctx, r, check.Event{Provider: "sandbox", ProviderRef: "pay0", Status: check.AttemptFailure}); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(f.notes.got, ","); got != "42:paid" {
		t.Errorf("notices = %s, want 42:paid once", got)
	}
	// paid with its notice claimed, then delivered = 2 writes; the late
	// failure records its attempt (1 more) but notifies nobody; KV none
	if got := f.cas.Puts() - beforeCAS; got != 3 {
		t.Errorf("state writes = %d, want 3", got)
	}
	if d := f.kv.Snapshot().Sub(before); d.Puts != 0 {
		t.Errorf("KV writes = %d, want 0", d.Puts)
	}
	if st, _ := f.svc.State(ctx, r); st.Status != check.Paid {
		t.Errorf("status = %s", st.Status)
	}
}

func TestSweepExpiresAndRetries(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	p := f.create(t, "10", "telegram:42:9")
	f.notes.fail = true
	f.now = f.now.Add(31 * time.Minute)
	rep, err := f.svc.Sweep(ctx, f.now)
	if err != nil || rep.Expired != 1 {
		t.Fatalf("sweep = %+v, %v; want one expired", rep, err)
	}
	st, _ := f.svc.State(ctx, p.Check.Ref())
	if st.Status != check.Expired || len(st.Pending) != 1 {
		t.Fatalf("state = %+v; want expired with a pending notice", st)
	}
	f.notes.fail = false
	f.now = f.now.Add(5 * time.Minute)
	if rep, err := f.svc.Sweep(ctx, f.now); err != nil || rep.Retried != 1 {
		t.Fatalf("second sweep = %+v, %v; want one retried", rep, err)
	}
	if rep, _ := f.svc.Sweep(ctx, f.now); rep.Retried != 0 || rep.Expired != 0 {
		t.Fatalf("third sweep did work again: %+v", rep)
	}
	if got := strings.Join(f.notes.got, ","); got != "42:expired" {
		t.Errorf("notices = %s", got)
	}
}

func TestCancelAndRecent(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	a := f.create(t, "10", "telegram:42:1")
	f.now = f.now.Add(time.Minute)
	b := f.create(t, "20", "telegram:42:2")
	chk, err := f.svc.Lookup(ctx, f.op, Handle(a.Check.Ref()))
	if err != nil || chk.ID != a.Check.ID {
		t.Fatalf("Lookup = %+v, %v", chk, err)
	}
	other := merchant.Operator{Merchant: f.op.Merchant, Messenger: "telegram", UserID: "99", Role: merchant.Cashier}
	if _, err := f.svc.Lookup(ctx, other, Handle(a.Check.Ref())); errs.CodeOf(err) != errs.NotFound {
		t.Errorf("another operator's Lookup = %v, want NotFound", err)
	}
	if _, err := f.svc.Cancel(ctx, other, chk.Ref()); errs.CodeOf(err) != errs.NotFound {
		t.Errorf("another operator's Cancel = %v, want NotFound", err)
	}
	if st, err := f.svc.Cancel(ctx, f.op, chk.Ref()); err != nil || st.Status != check.Cancelled {
		t.Fatalf("Cancel = %+v, %v", st, err)
	}
	if _, err := f.svc.Cancel(ctx, f.op, chk.Ref()); errs.CodeOf(err) != errs.Conflict {
		t.Errorf("second Cancel = %v, want Conflict", err)
	}
	list, err := f.svc.Recent(ctx, f.op, []time.Time{f.now}, 10)
	if err != nil || len(list) != 2 {
		t.Fatalf("Recent = %d, %v", len(list), err)
	}
	if list[0].Check.ID != b.Check.ID || list[1].State.Status != check.Cancelled {
		t.Errorf("Recent order/status wrong: %+v", list)
	}
}

// stubBank is a bank that has no news (Status: as the attempt stands) and
// takes nothing; status, when set, answers Status instead.
type stubBank struct {
	status func(a check.Attempt) (check.Event, error)
}

func (stubBank) Start(context.Context, bank.Checkout) (bank.Payment, error) {
	return bank.Payment{}, errors.New("stubBank: no payments")
}
func (stubBank) Resume(_ context.Context, _ bank.Checkout, a check.Attempt) (bank.Redirect, error) {
	return bank.ResumeAt(a)
}
func (b stubBank) Status(_ context.Context, _ merchant.Merchant, _ check.Ref, a check.Attempt) (check.Event, error) {
	if b.status != nil {
		return b.status(a)
	}
	return check.Event{Provider: a.Provider, ProviderRef: a.ProviderRef, Status: a.Status, Modified: a.Modified}, nil
}
func (stubBank) Cancel(context.Context, merchant.Merchant, check.Ref, check.Attempt) error {
	return nil
}
func (stubBank) Refund(context.Context, merchant.Merchant, check.Ref, check.Attempt, money.Amount) error {
	return errors.New("stubBank: no refunds")
}

// TestSweepGoesOnWhenTheBankCannotAnswer: a bank that keeps failing (down, or
// the merchant switched banks) must not keep the check from expiring.
func TestSweepGoesOnWhenTheBankCannotAnswer(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	p := f.create(t, "10", "telegram:42:77")
	f.setState(t, p.Check.Ref(), func(st *check.State) {
		st.Attempts = append(st.Attempts, check.Attempt{Provider: "monobank", ProviderRef: "inv1", Status: check.AttemptPending, Created: f.now, Valid: p.Check.Expires})
	})
	f.svc.Bank = stubBank{status: func(check.Attempt) (check.Event, error) {
		return check.Event{}, errors.New("bank unreachable")
	}}
	f.now = f.now.Add(31 * time.Minute)
	rep, _ := f.svc.Sweep(ctx, f.now)
	if rep.Expired != 1 || rep.Failed != 1 {
		t.Fatalf("sweep = %+v; want the check expired and the bank's failure counted", rep)
	}
	if got := strings.Join(f.notes.got, ","); got != "42:expired" {
		t.Errorf("notices = %s, want the expiry", got)
	}
}

// TestPrepareLateMessage: a message older than MaxMessageAge makes no new
// check, but a late redelivery of one already handled finds its check
// (Fresh false, no error), so the cashier is not told it came too late.
func TestPrepareLateMessage(t *testing.T) {
	f := newFixture(t)
	sent := f.now
	chat := check.Chat{Messenger: "telegram", ChatID: "42", UserID: "42", Lang: "uk"}
	first := f.create(t, "12,50", "telegram:42:7")
	f.now = f.now.Add(MaxMessageAge + 5*time.Minute)
	tests := []struct {
		name      string
		identity  string
		wantStale bool
	}{
		{"redelivery of a handled message", "telegram:42:7", false},
		{"a new message that old", "telegram:42:8", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := f.svc.Prepare(context.Background(), NewCheck{Operator: f.op, Chat: chat, Amount: 1250, Identity: tt.identity, At: sent})
			if got := errors.Is(err, ErrStaleMessage); got != tt.wantStale {
				t.Fatalf("stale = %v (err %v), want %v", got, err, tt.wantStale)
			}
			if !tt.wantStale && (p.Fresh || p.Token != first.Token) {
				t.Errorf("got fresh %v token %s, want the first check %s", p.Fresh, p.Token, first.Token)
			}
		})
	}
}

func (stubBank) Ready(merchant.Merchant) error { return nil }

// recordSignal is a KV store that says when the check record at key is
// first asked for.
type recordSignal struct {
	kv.Store
	key  string
	once sync.Once
	read chan struct{}
}

func (s *recordSignal) Get(ctx context.Context, key string) ([]byte, error) {
	if key == s.key {
		s.once.Do(func() { close(s.read) })
	}
	return s.Store.Get(ctx, key)
}

// writeAfterRead is a consistent store whose writes wait until the check
// record is being read (or give up after a while).
type writeAfterRead struct {
	cas.Store
	read <-chan struct{}
}

func (s writeAfterRead) Put(ctx context.Context, key string, v []byte, version int64, exp time.Time) (int64, error) {
	select {
	case <-s.read:
	case <-time.After(2 * time.Second):
		return 0, errors.New("the check's record was not read while the event was being applied")
	}
	return s.Store.Put(ctx, key, v, version, exp)
}

// TestEventReadsItsRecordMeanwhile: a bank's final event reads the check's
// record (the chat its notice tells) while the state is read and written,
// not after: on the Worker that is one round trip less to wait for on
// every bank callback with news. An event that is not final (a pending
// status, what the result page mostly sees) reads no record.
func TestEventReadsItsRecordMeanwhile(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	p := f.create(t, "100", "telegram:42:meanwhile")
	r := p.Check.Ref()
	f.setState(t, r, func(st *check.State) {
		st.Attempts = []check.Attempt{{Provider: "sandbox", ProviderRef: "pay1", Status: check.AttemptPending, Created: f.now, Valid: f.now.Add(time.Hour)}}
	})
	sig := &recordSignal{Store: f.svc.KV, key: CheckKey(r), read: make(chan struct{})}
	f.svc.KV = sig
	pending := *f.svc
	pending.States = f.cas
	before := f.kv.Snapshot()
	if _, err := pending.Apply(ctx, r, check.Event{Provider: "sandbox", ProviderRef: "pay1", Status: check.AttemptPending}); err != nil {
		t.Fatal(err)
	}
	if got := f.kv.Snapshot().Sub(before).Gets; got != 0 {
		t.Errorf("a pending event read KV %d times, want 0", got)
	}
	f.svc.States = writeAfterRead{Store: f.cas, read: sig.read}
	if _, err := f.svc.Apply(ctx, r, check.Event{Provider: "sandbox", ProviderRef: "pay1", Status: check.AttemptSuccess}); err != nil {
		t.Fatal(err)
	}
	if st, _ := f.svc.State(ctx, r); !st.WasNotified("paid") {
		t.Errorf("notified %v, want paid", st.Notified)
	}
}

// statesSignal is a consistent store that says when states are first
// asked for at once.
type statesSignal struct {
	cas.Store
	once sync.Once
	read chan struct{}
}

func (s *statesSignal) GetMany(ctx context.Context, keys []string) (map[string]cas.Record, error) {
	s.once.Do(func() { close(s.read) })
	return s.Store.GetMany(ctx, keys)
}

// recordsAfterStates is a KV store whose reads of check records wait
// until the states are being read (or give up after a while).
type recordsAfterStates struct {
	kv.Store
	read <-chan struct{}
}

func (s recordsAfterStates) Get(ctx context.Context, key string) ([]byte, error) {
	if strings.HasPrefix(key, checkPrefix) {
		select {
		case <-s.read:
		case <-time.After(2 * time.Second):
			return nil, errors.New("the states were not read while the records were")
		}
	}
	return s.Store.Get(ctx, key)
}

// TestRecentReadsStatesMeanwhile: «Мої чеки» reads the checks' states
// while it reads their records (the listed keys carry the ids): on the
// Worker one wait for the two batches of round trips instead of two.
func TestRecentReadsStatesMeanwhile(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for i := range 3 {
		f.create(t, "10", fmt.Sprintf("telegram:42:recent-%d", i))
	}
	sig := &statesSignal{Store: f.cas, read: make(chan struct{})}
	f.svc.States = sig
	f.svc.KV = recordsAfterStates{Store: f.svc.KV, read: sig.read}
	list, err := f.svc.Recent(ctx, f.op, []time.Time{f.now}, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 3 {
		t.Fatalf("Recent = %d checks, want 3", len(list))
	}
	for _, c := range list {
		if c.State.Status != check.Open {
			t.Errorf("check %s: state %q, want open", c.Check.ID, c.State.Status)
		}
	}
}
