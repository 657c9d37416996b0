// Package banktest is what the tests of every bank provider share: a rig
// with the product's side of a payment (a clock, KV, the link signer, the
// merchant store, the credentials box) and a receiver that plays the
// product's callback route, recording each callback and the provider's
// verdict on it. Each provider's tests add the provider and its fake bank
// (a Harness), and run on it the flows every bank must pass alike (a
// payment's life through Status, callbacks from the bank, stale callbacks,
// late refunds, the bank's odd answers, credentials checks) with their
// bank's own wire formats and words as parameters.
package banktest

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
	"github.com/paylastic/edge/core/cas"
	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/checks"
	"github.com/paylastic/edge/core/httpx"
	"github.com/paylastic/edge/core/ids"
	"github.com/paylastic/edge/core/kv"
	"github.com/paylastic/edge/core/merchant"
	"github.com/paylastic/edge/core/money"
	"github.com/paylastic/edge/core/seal"
	"github.com/paylastic/edge/internal/testsupport"
)

const (
	// DataKey seals the rig's merchants' credentials; LinkKey signs its
	// checks' tokens.
	DataKey = "test data key"
	LinkKey = "test link secret"
	// BaseURL is the product's PUBLIC_BASE_URL in the rig.
	BaseURL = "http://pay.test"
)

// Received is one callback as the product's route got it, and what the
// provider made of it.
type Received struct {
	Header http.Header
	Query  string
	Body   []byte
	N      bank.Notification
	Err    error
}

// Rig is the product around a provider under test. Set Provider (built
// from Env) before the bank calls back.
type Rig struct {
	T         *testing.T
	Clock     *testsupport.Clock
	KV        *kv.Counting
	Rand      *testsupport.SeededRand
	Signer    check.Signer
	Merchants merchant.Store
	Box       seal.Box
	// Hooks is the product's callback route: it hands every request to
	// Provider.Callback and records it.
	Hooks    *httptest.Server
	Provider bank.Provider

	mu     sync.Mutex
	got    []Received
	checks int
}

// New starts a rig whose randomness is seeded with seed.
func New(t *testing.T, seed byte) *Rig {
	t.Helper()
	r := &Rig{T: t, Clock: testsupport.NewClock(testsupport.T0), Signer: check.NewSigner(LinkKey), Rand: testsupport.Rand(seed)}
	r.KV = &kv.Counting{Store: kv.NewMem(r.Clock.Now)}
	r.Merchants = merchant.Store{DB: cas.NewMem(r.Clock.Now), Now: r.Clock.Now, Rand: r.Rand, Secret: r.Signer.Key(), DefaultProvider: "sandbox"}
	var err error
	if r.Box, err = seal.New(DataKey, r.Rand); err != nil {
		t.Fatal(err)
	}
	r.Hooks = httptest.NewServer(http.HandlerFunc(r.receive))
	t.Cleanup(r.Hooks.Close)
	return r
}

// Env is what the product gives a provider, over a real HTTP client.
func (r *Rig) Env() bank.Env {
	return bank.Env{
		HTTP:        &http.Client{Timeout: 5 * time.Second},
		KV:          r.KV,
		Now:         r.Clock.Now,
		Rand:        r.Rand,
		Log:         testsupport.Discard(),
		Signer:      r.Signer,
		Merchants:   r.Merchants,
		BaseURL:     BaseURL,
		Credentials: func(m merchant.Merchant) ([]byte, error) { return r.Box.Open(m.Credentials, []byte(m.ID)) },
	}
}

// Merchant creates a merchant on the rig's provider, called name, with the
// credentials JSON creds ("" for none), checked by the provider and sealed
// as the admin API does.
func (r *Rig) Merchant(name, creds string) merchant.Merchant {
	r.T.Helper()
	ctx := context.Background()
	m, _, err := r.Merchants.Create(ctx, "Кавʼярня «Ранок»", 0)
	if err != nil {
		r.T.Fatal(err)
	}
	m.Provider = name
	if creds != "" {
		plain, err := r.Provider.CheckCredentials([]byte(creds))
		if err != nil {
			r.T.Fatal(err)
		}
		if m.Credentials, err = r.Box.Seal(plain, []byte(m.ID)); err != nil {
			r.T.Fatal(err)
		}
	}
	m, err = r.Merchants.Update(ctx, m.ID, func(cur *merchant.Merchant) error {
		cur.Provider, cur.Credentials = m.Provider, m.Credentials
		return nil
	})
	if err != nil {
		r.T.Fatal(err)
	}
	return m
}

// Check is a new check of amount at merchant m, valid for the default TTL,
// and its signed token.
func (r *Rig) Check(m merchant.Merchant, amount money.Amount) (check.Ref, string) {
	r.T.Helper()
	r.mu.Lock()
	r.checks++
	n := r.checks
	r.mu.Unlock()
	id, _ := ids.Random(rand.NewChaCha8([32]byte{byte(n), byte(amount)}), check.IDBytes)
	now := r.Clock.Now().Truncate(time.Second)
	ref := check.Ref{
		ID:       id,
		Merchant: m.ID,
		Operator: ids.Encode(make([]byte, check.OperatorBytes)),
		Amount:   amount,
		Created:  now,
		Expires:  now.Add(checks.DefaultTTL),
	}
	token, err := r.Signer.Encode(ref)
	if err != nil {
		r.T.Fatal(err)
	}
	return ref, token
}

// Checkout is what the product tells the bank about attempt seq of a check.
func (r *Rig) Checkout(m merchant.Merchant, ref check.Ref, token string, seq int, lang string) bank.Checkout {
	result := check.PageURL(BaseURL, token) + "/result"
	if lang == "en" {
		result += "?lang=en"
	}
	return bank.Checkout{
		Merchant:    m,
		Ref:         ref,
		Token:       token,
		Seq:         seq,
		Lang:        lang,
		ResultURL:   result,
		CallbackURL: r.Hooks.URL + "/bank/" + m.Provider + "/callback",
		Valid:       ref.Expires,
	}
}

func (r *Rig) receive(rw http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	n, err := r.Provider.Callback(req.Context(), bank.Callback{Header: req.Header, Query: req.URL.Query(), Body: body})
	r.mu.Lock()
	r.got = append(r.got, Received{Header: req.Header.Clone(), Query: req.URL.RawQuery, Body: body, N: n, Err: err})
	r.mu.Unlock()
	rw.WriteHeader(httpx.Status(err))
}

// Received is every callback the route got, in order.
func (r *Rig) Received() []Received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Received(nil), r.got...)
}

// Deliver posts a callback to the route as the bank would (body of
// contentType, extra headers) for the merchant's provider, and returns the
// provider's verdict on it.
func (r *Rig) Deliver(provider, query, contentType string, body []byte, header map[string]string) Received {
	r.T.Helper()
	before := len(r.Received())
	req, _ := http.NewRequest("POST", r.Hooks.URL+"/bank/"+provider+"/callback"+query, bytes.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		r.T.Fatal(err)
	}
	resp.Body.Close()
	got := r.Received()
	if len(got) != before+1 {
		r.T.Fatalf("the route got %d callbacks, want %d", len(got), before+1)
	}
	return got[len(got)-1]
}
