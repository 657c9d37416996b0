package pay

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/paylastic/edge/core/bank"
	"github.com/paylastic/edge/core/bank/sandbox"
	"github.com/paylastic/edge/core/cas"
	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/checks"
	"github.com/paylastic/edge/core/httpx"
	"github.com/paylastic/edge/core/kv"
	"github.com/paylastic/edge/core/merchant"
	"github.com/paylastic/edge/core/money"
	"github.com/paylastic/edge/internal/kvfault"
	"github.com/paylastic/edge/internal/testsupport"
)

// flaky is a KV store whose reads or writes fail while down says so, and
// that counts its successful writes.
type flaky struct {
	kvfault.Store
	down *kvfault.Switch
	mu   sync.Mutex
	puts map[string]int // by key prefix ("i", "s", "sb", ...)
}

func newFlaky(s kv.Store) *flaky {
	down := &kvfault.Switch{Err: errors.New("kv down")}
	return &flaky{Store: kvfault.Store{Store: s, Fail: down.Fail}, down: down}
}

// flakyStates is the consistent store, failing and counted with the KV
// store f: what a storage outage does to both.
type flakyStates struct {
	*cas.Mem
	f *flaky
}

func (s flakyStates) Get(ctx context.Context, k string) (cas.Record, error) {
	if s.f.down.Reads.Load() {
		return cas.Record{}, errors.New("store down")
	}
	return s.Mem.Get(ctx, k)
}

func (s flakyStates) GetMany(ctx context.Context, ks []string) (map[string]cas.Record, error) {
	if s.f.down.Reads.Load() {
		return nil, errors.New("store down")
	}
	return s.Mem.GetMany(ctx, ks)
}

func (s flakyStates) Put(ctx context.Context, k string, v []byte, version int64, expires time.Time) (int64, error) {
	if s.f.down.Writes.Load() {
		return 0, errors.New("store down")
	}
	next, err := s.Mem.Put(ctx, k, v, version, expires)
	if err == nil {
		s.f.count("state " + k)
	}
	return next, err
}

// writes returns the successful writes under prefix ("i", "s", "sb", "m").
func (f *flaky) writes(prefix string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.puts[prefix]
}

func (f *flaky) Put(ctx context.Context, k string, v []byte, ttl time.Duration) error {
	if err := f.Store.Put(ctx, k, v, ttl); err != nil {
		return err
	}
	f.count(k)
	return nil
}

// count counts a write of key k by its prefix.
func (f *flaky) count(k string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.puts == nil {
		f.puts = map[string]int{}
	}
	prefix, _, _ := strings.Cut(k, ":")
	f.puts[prefix]++
}

// notes records what the operator is told.
type notes struct {
	mu   sync.Mutex
	got  []string
	fail atomic.Bool
}

func (n *notes) Notify(_ context.Context, chk check.Check, no check.Notice) error {
	if n.fail.Load() {
		return errors.New("messenger down")
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	s := string(no.Kind)
	if no.Reason != "" {
		s += ": " + no.Reason
	}
	n.got = append(n.got, s)
	return nil
}

func (n *notes) list() []string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]string(nil), n.got...)
}

// dropper is an outbound transport that can lose requests.
type dropper struct{ drop atomic.Bool }

func (d *dropper) RoundTrip(r *http.Request) (*http.Response, error) {
	if d.drop.Load() {
		return nil, errors.New("dropped")
	}
	return http.DefaultTransport.RoundTrip(r)
}

const linkSecret = "test link secret"

// world is the buyer's side over an in-memory store, served on a loopback
// server so that the sandbox bank's callback reaches it, with one merchant.
type world struct {
	t      testing.TB
	clock  *testsupport.Clock
	flaky  *flaky
	kv     *kv.Counting
	states *cas.Mem
	checks *checks.Service
	pages  *Pages
	sb     *sandbox.Bank
	notes  *notes
	out    *dropper
	srv    *httptest.Server
	m      merchant.Merchant
	msg    int
}

func newWorld(t testing.TB) *world {
	t.Helper()
	w := &world{t: t, clock: testsupport.NewClock(testsupport.T0), notes: &notes{}, out: &dropper{}}
	w.flaky = newFlaky(kv.NewMem(w.clock.Now))
	w.kv = &kv.Counting{Store: w.flaky}
	rnd := testsupport.Rand(7)
	log := testsupport.Discard()
	signer := check.NewSigner(linkSecret)
	w.states = cas.NewMem(w.clock.Now)
	ms := merchant.Store{DB: w.states, Now: w.clock.Now, Rand: rnd, Secret: signer.Key(), DefaultProvider: "sandbox"}
	w.checks = &checks.Service{KV: w.kv, States: flakyStates{w.states, w.flaky}, Now: w.clock.Now, Rand: rnd, Signer: signer, Merchants: ms, Notifier: w.notes, Log: log}
	w.srv = httptest.NewUnstartedServer(nil)
	base := "http://" + w.srv.Listener.Addr().String()
	w.sb = sandbox.New(bank.Env{HTTP: &http.Client{Transport: w.out}, KV: w.kv, Now: w.clock.Now, Rand: rnd, Log: log, Signer: signer, Merchants: ms, BaseURL: base})
	banks := bank.Registry{sandbox.Name: w.sb}
	w.checks.Bank = banks
	w.pages = &Pages{Checks: w.checks, Banks: banks, BaseURL: base, Log: log}
	mux := http.NewServeMux()
	w.pages.Register(mux)
	w.sb.Register(mux)
	w.srv.Config.Handler = httpx.Secure(mux)
	w.srv.Start()
	t.Cleanup(w.srv.Close)
	m, _, err := ms.Create(context.Background(), "Кавʼярня «Ранок»", 5000*money.Hryvnia)
	if err != nil {
		t.Fatal(err)
	}
	w.m = m
	return w
}

// newCheck creates a check as the bot does and returns its link reference.
func (w *world) newCheck(amount string) (string, check.Check) {
	w.t.Helper()
	w.msg++
	ctx := context.Background()
	a, err := money.Parse(amount, 0)
	if err != nil {
		w.t.Fatalf("amount %q: %v", amount, err)
	}
	p, err := w.checks.Prepare(ctx, checks.NewCheck{
		Operator: checksOperator(w),
		Chat:     check.Chat{Messenger: "telegram", ChatID: "42", UserID: "42", Lang: "uk"},
		Amount:   a,
		Identity: "telegram:42:" + string(rune('0'+w.msg)),
		At:       w.clock.Now(),
	})
	if err != nil {
		w.t.Fatalf("prepare check: %v", err)
	}
	if err := w.checks.Save(ctx, p.Check); err != nil {
		w.t.Fatalf("save check: %v", err)
	}
	return p.Token, p.Check
}

// setState stores st as the check's state, as if the use cases had made
// it: the consistent store holds states as JSON at s:{id}.
func (w *world) setState(r check.Ref, st check.State) {
	w.t.Helper()
	b, err := json.Marshal(st)
	if err != nil {
		w.t.Fatal(err)
	}
	if _, err := w.states.Put(context.Background(), "s:"+r.ID, b, 0, r.Created.Add(checks.Retention)); err != nil {
		w.t.Fatal(err)
	}
}

func (w *world) state(r check.Ref) check.State {
	w.t.Helper()
	st, err := w.checks.State(context.Background(), r)
	if err != nil {
		w.t.Fatalf("state: %v", err)
	}
	return st
}

// page is one answer as the buyer's browser sees it.
type page = testsupport.Page

// buyer is a browser without JavaScript.
type buyer = testsupport.Buyer

// useBank adds b to the pages' banks as name and makes it the merchant's.
func (w *world) useBank(name string, b bank.Provider) {
	w.t.Helper()
	w.pages.Banks[name] = b
	if _, err := w.checks.Merchants.Update(context.Background(), w.m.ID, func(m *merchant.Merchant) error {
		m.Provider = name
		return nil
	}); err != nil {
		w.t.Fatal(err)
	}
}

func (w *world) buyer() *buyer { return &buyer{T: w.t, Client: &http.Client{}, Origin: w.srv.URL} }

// card fills the sandbox's form.
var card = testsupport.SandboxCard

// checksOperator is the operator who creates the world's checks.
func checksOperator(w *world) merchant.Operator {
	return merchant.Operator{Merchant: w.m.ID, Messenger: "telegram", UserID: "42"}
}
