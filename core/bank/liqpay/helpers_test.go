package liqpay_test

import (
	"bytes"
	"context"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paylastic/edge/core/bank"
	"github.com/paylastic/edge/core/bank/liqpay"
	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/checks"
	"github.com/paylastic/edge/core/httpx"
	"github.com/paylastic/edge/core/ids"
	"github.com/paylastic/edge/core/kv"
	"github.com/paylastic/edge/core/merchant"
	"github.com/paylastic/edge/core/money"
	"github.com/paylastic/edge/core/seal"
	fakeliqpay "github.com/paylastic/edge/fakes/liqpay"
	"github.com/paylastic/edge/internal/testsupport"
)

const (
	publicKey  = "i00000000001"
	privateKey = "sandbox_privateKeyAAAAAAAAAAAAAAAAAAAAAAAAA"
	dataKey    = "test data key"
	linkKey    = "test link secret"
	callbackP  = "/bank/liqpay/callback"
)

// received is one callback as the product's route got it, and what the
// provider made of it.
type received struct {
	query string
	body  []byte
	n     bank.Notification
	err   error
}

// world is the LiqPay provider against the fake, with one merchant whose
// keys the fake accepts and a receiver for the fake's callbacks.
type world struct {
	t      *testing.T
	clock  *testsupport.Clock
	kv     *kv.Counting
	signer check.Signer
	ms     merchant.Store
	box    seal.Box
	fake   *fakeliqpay.Server
	bankSr *httptest.Server
	hooks  *httptest.Server
	lp     *liqpay.Bank
	m      merchant.Merchant
	n      int

	mu  sync.Mutex
	got []received
}

func newWorld(t *testing.T) *world {
	t.Helper()
	w := &world{t: t, clock: testsupport.NewClock(testsupport.T0), signer: check.NewSigner(linkKey)}
	w.kv = &kv.Counting{Store: kv.NewMem(w.clock.Now)}
	rnd := testsupport.Rand(5)
	w.ms = merchant.Store{KV: w.kv, Now: w.clock.Now, Rand: rnd, Secret: w.signer.Key()}
	var err error
	if w.box, err = seal.New(dataKey, rnd); err != nil {
		t.Fatal(err)
	}
	w.fake = fakeliqpay.New(publicKey, privateKey)
	w.fake.Now = w.clock.Now
	w.bankSr = httptest.NewServer(w.fake)
	t.Cleanup(w.bankSr.Close)
	w.hooks = httptest.NewServer(http.HandlerFunc(w.receive))
	t.Cleanup(w.hooks.Close)
	w.lp = liqpay.New(bank.Env{
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
	w.m = w.merchant(`{"public_key":"` + publicKey + `","private_key":"` + privateKey + `"}`)
	return w
}

// merchant creates a merchant on LiqPay with the credentials JSON creds
// ("" for none).
func (w *world) merchant(creds string) merchant.Merchant {
	w.t.Helper()
	ctx := context.Background()
	m, _, err := w.ms.Create(ctx, "Кавʼярня «Ранок»", 0)
	if err != nil {
		w.t.Fatal(err)
	}
	m.Provider = liqpay.Name
	if creds != "" {
		plain, err := w.lp.CheckCredentials([]byte(creds))
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

// check is a new check of amount at merchant m, valid for 30 minutes.
func (w *world) check(m merchant.Merchant, amount money.Amount) (check.Ref, string) {
	w.t.Helper()
	w.n++
	id, _ := ids.Random(rand.NewChaCha8([32]byte{byte(w.n)}), check.IDBytes)
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

func (w *world) checkout(m merchant.Merchant, r check.Ref, link string, seq int, lang string) bank.Checkout {
	result := "http://pay.test/p/" + link + "/result"
	if lang == "en" {
		result += "?lang=en"
	}
	return bank.Checkout{
		Merchant:    m,
		Ref:         r,
		Token:       link,
		Seq:         seq,
		Lang:        lang,
		ResultURL:   result,
		CallbackURL: w.hooks.URL + callbackP,
		Valid:       r.Expires,
	}
}

// start starts a payment for a new check of 12,50 грн and posts its form to
// the fake's checkout, as the buyer's browser does.
func (w *world) start() (check.Ref, string, bank.Payment) {
	w.t.Helper()
	r, link := w.check(w.m, 1250)
	p, err := w.lp.Start(context.Background(), w.checkout(w.m, r, link, 1, "uk"))
	if err != nil {
		w.t.Fatalf("Start: %v", err)
	}
	if status, body := w.post(p.Redirect); status != http.StatusOK {
		w.t.Fatalf("checkout = %d:\n%s", status, body)
	}
	return r, link, p
}

// post submits a redirect's form as the buyer's browser does.
func (w *world) post(rd bank.Redirect) (int, string) {
	w.t.Helper()
	resp, err := http.Post(rd.URL, "application/x-www-form-urlencoded", strings.NewReader(rd.Form.Encode()))
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func (w *world) receive(rw http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	n, err := w.lp.Callback(r.Context(), bank.Callback{Header: r.Header, Query: r.URL.Query(), Body: body})
	w.mu.Lock()
	w.got = append(w.got, received{query: r.URL.RawQuery, body: body, n: n, err: err})
	w.mu.Unlock()
	rw.WriteHeader(httpx.Status(err))
}

func (w *world) received() []received {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]received(nil), w.got...)
}

// deliver posts a callback form body to the receiver and returns the
// provider's verdict.
func (w *world) deliver(query string, body []byte) received {
	w.t.Helper()
	before := len(w.received())
	resp, err := http.Post(w.hooks.URL+callbackP+query, "application/x-www-form-urlencoded", bytes.NewReader(body))
	if err != nil {
		w.t.Fatal(err)
	}
	resp.Body.Close()
	got := w.received()
	if len(got) != before+1 {
		w.t.Fatalf("the receiver got %d callbacks, want %d", len(got), before+1)
	}
	return got[len(got)-1]
}
