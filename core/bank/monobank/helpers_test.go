package monobank_test

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/paylastic/edge/core/bank"
	"github.com/paylastic/edge/core/bank/banktest"
	"github.com/paylastic/edge/core/bank/monobank"
	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/merchant"
	fakemono "github.com/paylastic/edge/fakes/monobank"
)

const (
	token    = "uXvTestTokenAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" // 44 characters
	otherTok = "uXvOtherTokenBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"
)

// world is the monobank provider against the fake bank, with one merchant
// whose token the fake accepts.
type world struct {
	*banktest.Rig
	fake   *fakemono.Server
	bankSr *httptest.Server
	mb     *monobank.Bank
	m      merchant.Merchant
}

func newWorld(t *testing.T) *world {
	t.Helper()
	w := &world{Rig: banktest.New(t, 9), fake: fakemono.New(token)}
	w.fake.Now = w.Clock.Now
	w.bankSr = httptest.NewServer(w.fake)
	t.Cleanup(w.bankSr.Close)
	w.mb = monobank.New(w.Env(), w.bankSr.URL)
	w.Provider = w.mb
	w.m = w.merchant(token)
	return w
}

// harness is the world as banktest's shared flows drive it.
func (w *world) harness() banktest.Harness {
	return banktest.Harness{
		Rig: w.Rig, Merchant: w.m, Start: w.start, Pay: w.fake.Pay, SettleRefundsAfter: w.fake.SetRefundDelay, Wait: w.fake.Wait,
		New: func(env bank.Env, apiURL string) bank.Provider { return monobank.New(env, apiURL) },
	}
}

// merchant creates a merchant on monobank with tok ("" for no credentials).
func (w *world) merchant(tok string) merchant.Merchant {
	w.T.Helper()
	if tok == "" {
		return w.Merchant(monobank.Name, "")
	}
	return w.Merchant(monobank.Name, `{"token":"`+tok+`"}`)
}

func (w *world) checkout(m merchant.Merchant, r check.Ref, token string, seq int) bank.Checkout {
	return w.Checkout(m, r, token, seq, "uk")
}

// start starts a payment for a new check of 12,50 грн.
func (w *world) start() (check.Ref, string, bank.Payment) {
	w.T.Helper()
	r, token := w.Check(w.m, 1250)
	p, err := w.mb.Start(context.Background(), w.checkout(w.m, r, token, 1))
	if err != nil {
		w.T.Fatalf("Start: %v", err)
	}
	return r, token, p
}

// deliver posts a webhook to the product's route as the bank would, and
// returns the provider's verdict.
func (w *world) deliver(query string, body []byte, xSign string) banktest.Received {
	w.T.Helper()
	h := map[string]string{}
	if xSign != "" {
		h["X-Sign"] = xSign
	}
	return w.Deliver(monobank.Name, query, "application/json", body, h)
}
