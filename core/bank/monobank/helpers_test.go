package monobank_test

import (
	"bytes"
	"context"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/paylastic/edge/core/bank"
	"github.com/paylastic/edge/core/bank/monobank"
	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/checks"
	"github.com/paylastic/edge/core/httpx"
	"github.com/paylastic/edge/core/ids"
	"github.com/paylastic/edge/core/kv"
	"github.com/paylastic/edge/core/merchant"
	"github.com/paylastic/edge/core/money"
	"github.com/paylastic/edge/core/seal"
	fakemono "github.com/paylastic/edge/fakes/monobank"
	"github.com/paylastic/edge/internal/testsupport"
)

const (
	token     = "uXvTestTokenAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" // 44 characters
	dataKey   = "test data key"
	linkKey   = "test link secret"
	otherTok  = "uXvOtherTokenBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"
	callbackP = "/bank/monobank/callback"
)

// received is one webhook as the product's route got it, and what the
// provider made of it.
type received struct {
	header http.Header
	query  string
	body   []byte
	n      bank.Notification
	err    error
}

// world is the monobank provider against the fake bank, with one merchant
// whose token the fake accepts and a receiver for the fake's webhooks.
type world struct {
	t      *testing.T
	clock  *testsupport.Clock
	kv     *kv.Counting
	signer check.Signer
	ms     merchant.Store
	box    seal.Box
	fake   *fakemono.Server
	bankSr *httptest.Server
	hooks  *httptest.Server
	mb     *monobank.Bank
	m      merchant.Merchant

	mu  sync.Mutex
	got []received
}

func newWorld(t *testing.T) *world {
	t.Helper()
	w := &world{t: t, clock: testsupport.NewClock(testsupport.T0), signer: check.NewSigner(linkKey)}
	w.kv = &kv.Counting{Store: kv.NewMem(w.clock.Now)}
	rnd := testsupport.Rand(9)
	w.ms = merchant.Store{KV: w.kv, Now: w.clock.Now, Rand: rnd, Secret: w.signer.Key()}
	var err error
	if w.box, err = seal.New(dataKey, rnd); err != nil {
		t.Fatal(err)
	}
	w.fake = fakemono.New(token)
	w.fake.Now = w.clock.Now
	w.bankSr = httptest.NewServer(w.fake)
	t.Cleanup(w.bankSr.Close)
	w.hooks = httptest.NewServer(http.HandlerFunc(w.receive))
	t.Cleanup(w.hooks.Close)
	w.mb = monobank.New(bank.Env{
		HTTP:        &http.Client{Timeout: 5 * time.Second},
		KV:          w.kv,
		Now:         w.clock.Now,
		Rand:        rnd,
		Log:         testsupport.Discard(),
		Signer:      w.signer,
		Merchants:   w.ms,
		BaseURL:     "http://pay.test",
		Credentials: func(m merchant.Merchant) ([]byte, error) { return w.box.Open(m.Credentials, []byte(m.ID)) },
	}, w.bankSr.URL)
	w.m = w.merchant(token)
	return w
}

// merchant creates a merchant on monobank with tok ("" for no credentials).
func (w *world) merchant(tok string) merchant.Merchant {
	w.t.Helper()
	ctx := context.Background()
	m, _, err := w.ms.Create(ctx, "Кавʼярня «Ранок»", 0)
	if err != nil {
		w.t.Fatal(err)
	}
	m.Provider = monobank.Name
	if tok != "" {
		plain, err := w.mb.CheckCredentials([]byte(`{"token":"` + tok + `"}`))
		if err != nil {
			w.t.Fatal(err)
		}
		if m.Credentials, err = w.box.Seal(plain, []byte(m.ID)); err != nil {
			w.t.Fatal(err)
		}
	}
	if err := w.ms.Put(ctx, m); err != nil {
		w.t.Fatal(err)
	}
	return m
}

// check is a check of amount at merchant m, valid for 30 minutes.
func (w *world) check(m merchant.Merchant, amount money.Amount) (check.Ref, string) {
	w.t.Helper()
	id, _ := ids.Random(rand.NewChaCha8([32]byte{byte(len(w.got)), byte(amount)}), check.IDBytes)
	r := check.Ref{
		ID:       id,
		Merchant: m.ID,
		Operator: ids.Encode(make([]byte, check.OperatorBytes)),
		Amount:   amount,
		Created:  w.clock.Now().Truncate(time.Second),
		Expires:  w.clock.Now().Truncate(time.Second).Add(checks.DefaultTTL),
	}
	link, err := w.signer.Encode(r)
	if err != nil {
		w.t.Fatal(err)
	}
	return r, link
}

func (w *world) checkout(m merchant.Merchant, r check.Ref, link string, seq int) bank.Checkout {
	return bank.Checkout{
		Merchant:    m,
		Ref:         r,
		Token:       link,
		Seq:         seq,
		Lang:        "uk",
		ResultURL:   "http://pay.test/p/" + link + "/result",
		CallbackURL: w.hooks.URL + callbackP,
		Valid:       r.Expires,
	}
}

// start starts a payment for a new check of 12,50 грн.
func (w *world) start() (check.Ref, string, bank.Payment) {
	w.t.Helper()
	r, link := w.check(w.m, 1250)
	p, err := w.mb.Start(context.Background(), w.checkout(w.m, r, link, 1))
	if err != nil {
		w.t.Fatalf("Start: %v", err)
	}
	return r, link, p
}

// receive is the product's callback route: the provider's verdict, recorded.
func (w *world) receive(rw http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	n, err := w.mb.Callback(r.Context(), bank.Callback{Header: r.Header, Query: r.URL.Query(), Body: body})
	w.mu.Lock()
	w.got = append(w.got, received{header: r.Header.Clone(), query: r.URL.RawQuery, body: body, n: n, err: err})
	w.mu.Unlock()
	rw.WriteHeader(httpx.Status(err))
}

func (w *world) received() []received {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]received(nil), w.got...)
}

// deliver posts a webhook to the receiver as the bank would, and returns
// the provider's verdict.
func (w *world) deliver(query string, body []byte, xSign string) received {
	w.t.Helper()
	before := len(w.received())
	req, _ := http.NewRequest("POST", w.hooks.URL+callbackP+query, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if xSign != "" {
		req.Header.Set("X-Sign", xSign)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	resp.Body.Close()
	got := w.received()
	if len(got) != before+1 {
		w.t.Fatalf("the receiver got %d webhooks, want %d", len(got), before+1)
	}
	return got[len(got)-1]
}
