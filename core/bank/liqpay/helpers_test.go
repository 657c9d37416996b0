package liqpay_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/paylastic/edge/core/bank"
	"github.com/paylastic/edge/core/bank/banktest"
	"github.com/paylastic/edge/core/bank/liqpay"
	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/merchant"
	fakeliqpay "github.com/paylastic/edge/fakes/liqpay"
)

const (
	publicKey  = "i00000000001"
	privateKey = "sandbox_privateKeyAAAAAAAAAAAAAAAAAAAAAAAAA"
)

// world is the LiqPay provider against the fake, with one merchant whose
// keys the fake accepts.
type world struct {
	*banktest.Rig
	fake   *fakeliqpay.Server
	bankSr *httptest.Server
	lp     *liqpay.Bank
	m      merchant.Merchant
}

func newWorld(t *testing.T) *world {
	t.Helper()
	w := &world{Rig: banktest.New(t, 5), fake: fakeliqpay.New(publicKey, privateKey)}
	w.fake.Now = w.Clock.Now
	w.bankSr = httptest.NewServer(w.fake)
	t.Cleanup(w.bankSr.Close)
	w.lp = liqpay.New(w.Env(), w.bankSr.URL)
	w.Provider = w.lp
	w.m = w.merchant(`{"public_key":"` + publicKey + `","private_key":"` + privateKey + `"}`)
	return w
}

// harness is the world as banktest's shared flows drive it.
func (w *world) harness() banktest.Harness {
	return banktest.Harness{
		Rig: w.Rig, Merchant: w.m, Start: w.start, Pay: w.fake.Pay, SettleRefundsAfter: w.fake.SetRefundDelay, Wait: w.fake.Wait,
		New: func(env bank.Env, apiURL string) bank.Provider { return liqpay.New(env, apiURL) },
	}
}

// merchant creates a merchant on LiqPay with the credentials JSON creds
// ("" for none).
func (w *world) merchant(creds string) merchant.Merchant { return w.Merchant(liqpay.Name, creds) }

func (w *world) checkout(m merchant.Merchant, r check.Ref, token string, seq int, lang string) bank.Checkout {
	return w.Checkout(m, r, token, seq, lang)
}

// start starts a payment for a new check of 12,50 грн and posts its form to
// the fake's checkout, as the buyer's browser does.
func (w *world) start() (check.Ref, string, bank.Payment) {
	w.T.Helper()
	r, token := w.Check(w.m, 1250)
	p, err := w.lp.Start(context.Background(), w.checkout(w.m, r, token, 1, "uk"))
	if err != nil {
		w.T.Fatalf("Start: %v", err)
	}
	if status, body := w.post(p.Redirect); status != http.StatusOK {
		w.T.Fatalf("checkout = %d:\n%s", status, body)
	}
	return r, token, p
}

// post submits a redirect's form as the buyer's browser does.
func (w *world) post(rd bank.Redirect) (int, string) {
	w.T.Helper()
	resp, err := http.Post(rd.URL, "application/x-www-form-urlencoded", strings.NewReader(rd.Form.Encode()))
	if err != nil {
		w.T.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// deliver posts a callback form body to the product's route and returns
// the provider's verdict.
func (w *world) deliver(query string, body []byte) banktest.Received {
	w.T.Helper()
	return w.Deliver(liqpay.Name, query, "application/x-www-form-urlencoded", body, nil)
}
