package app

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paylastic/edge/core/bank/liqpay"
	"github.com/paylastic/edge/core/bank/monobank"
	"github.com/paylastic/edge/core/bank/sandbox"
	"github.com/paylastic/edge/core/cas"
	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/checks"
	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/kv"
	"github.com/paylastic/edge/core/merchant"
	fakeliqpay "github.com/paylastic/edge/fakes/liqpay"
	fakemono "github.com/paylastic/edge/fakes/monobank"
	"github.com/paylastic/edge/internal/testsupport"
)

func TestProvidersRegistered(t *testing.T) {
	a, _ := newTestApp(t, "admin-secret")
	if _, ok := a.Banks[monobank.Name].(*monobank.Bank); !ok {
		t.Errorf("monobank is not registered: %v", a.Banks)
	}
	if _, ok := a.Banks[liqpay.Name].(*liqpay.Bank); !ok {
		t.Errorf("liqpay is not registered: %v", a.Banks)
	}
	if _, ok := a.Banks[sandbox.Name]; ok {
		t.Errorf("the sandbox is registered with SANDBOX_BANK unset: %v", a.Banks)
	}
}

// refundWorld is the product on a loopback server with a merchant on the
// fake monobank (or LiqPay) and one check of 12,50 грн, on a clock the test
// moves.
type refundWorld struct {
	a     *App
	srv   *httptest.Server
	fake  *fakemono.Server
	liq   *fakeliqpay.Server
	kv    *kv.Counting
	cas   *cas.Mem
	op    merchant.Operator
	ref   check.Ref
	link  string
	clock *testsupport.Clock
	net   lossy // the product's outbound HTTP
}

// lossy is a transport that can lose the answer to a request after the
// server got it (a timeout after the bank acted).
type lossy struct {
	mu   sync.Mutex
	lose func(*http.Request) bool
}

func (l *lossy) loseAnswers(match func(*http.Request) bool) {
	l.mu.Lock()
	l.lose = match
	l.mu.Unlock()
}

func (l *lossy) RoundTrip(r *http.Request) (*http.Response, error) {
	l.mu.Lock()
	lose := l.lose
	l.mu.Unlock()
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err == nil && lose != nil && lose(r) {
		resp.Body.Close()
		return nil, fmt.Errorf("lossy: the answer to %s was lost", r.URL.Path)
	}
	return resp, err
}

const (
	monoToken  = "uXvTestTokenAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	liqPublic  = "i00000000042"
	liqPrivate = "appTestPrivateKeyLIQPAYLIQPAYLIQPAY0042"
)

func newRefundWorld(t *testing.T) *refundWorld { return newBankWorld(t, monobank.Name) }

// newBankWorld is a refundWorld whose merchant is on provider.
func newBankWorld(t *testing.T, provider string) *refundWorld {
	t.Helper()
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	w := &refundWorld{fake: fakemono.New(monoToken), liq: fakeliqpay.New(liqPublic, liqPrivate), clock: testsupport.NewClock(now)}
	clock := w.clock.Now
	w.fake.Now, w.liq.Now = clock, clock
	bankSrv := httptest.NewServer(w.fake)
	t.Cleanup(bankSrv.Close)
	liqSrv := httptest.NewServer(w.liq)
	t.Cleanup(liqSrv.Close)
	w.srv = httptest.NewUnstartedServer(nil)
	cfg := Config{
		PublicBaseURL:  "http://" + w.srv.Listener.Addr().String(),
		AdminToken:     "admin-secret",
		LinkSecret:     "s",
		DataKey:        "data key",
		MonobankAPIURL: bankSrv.URL,
		LiqPayAPIURL:   liqSrv.URL,
		SandboxBank:    true,
	}
	w.kv = &kv.Counting{Store: kv.NewMem(clock)}
	w.cas = cas.NewMem(clock)
	w.a = New(cfg, Deps{KV: w.kv, Store: w.cas, Now: clock, Rand: testsupport.Rand(4), HTTP: &http.Client{Transport: &w.net, Timeout: 5 * time.Second}})
	w.srv.Config.Handler = w.a.Handler()
	w.srv.Start()
	t.Cleanup(w.srv.Close)
	h := w.srv.Config.Handler
	rec := do(h, "POST", "/admin/merchants", "Bearer admin-secret", `{"name":"Кавʼярня"}`)
	var m struct{ ID string }
	json.Unmarshal(rec.Body.Bytes(), &m)
	creds := `{"provider":"monobank","credentials":{"token":"` + monoToken + `"}}`
	if provider == liqpay.Name {
		creds = `{"provider":"liqpay","credentials":{"public_key":"` + liqPublic + `","private_key":"` + liqPrivate + `"}}`
	}
	rec = do(h, "PUT", "/admin/merchants/"+m.ID+"/provider", "Bearer admin-secret", creds)
	if rec.Code != 200 {
		t.Fatalf("switch to %s = %d %s", provider, rec.Code, rec.Body)
	}
	w.op = merchant.Operator{Merchant: m.ID, Messenger: "telegram", UserID: "42"}
	ctx := context.Background()
	p, err := w.a.Checks.Prepare(ctx, checks.NewCheck{
		Operator: w.op,
		Chat:     check.Chat{Messenger: "telegram", ChatID: "42", UserID: "42", Lang: "uk"},
		Amount:   1250, Identity: "telegram:42:1", At: now,
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.a.Checks.Save(ctx, p.Check); err != nil {
		t.Fatal(err)
	}
	w.ref, w.link = p.Check.Ref(), p.Token
	return w
}

// pay has the buyer press «Оплатити» and pay on the bank's page.
func (w *refundWorld) pay(t *testing.T) {
	t.Helper()
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Post(w.srv.URL+"/p/"+w.link+"/pay", "application/x-www-form-urlencoded", strings.NewReader(""))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusOK { // LiqPay: our form to its checkout
		w.payLiqPay(t, resp)
		return
	}
	page := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(page, "http") {
		t.Fatalf("«Оплатити» = %d to %q, want 303 to the bank", resp.StatusCode, page)
	}
	id := page[strings.LastIndexByte(page, '/')+1:]
	if err := w.fake.Pay(id, true, ""); err != nil {
		t.Fatal(err)
	}
}

func (w *refundWorld) state(t *testing.T) check.State {
	t.Helper()
	st, err := w.a.Checks.State(context.Background(), w.ref)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestRefund(t *testing.T) {
	w := newRefundWorld(t)
	ctx := context.Background()
	if _, err := w.a.Checks.Refund(ctx, w.op, w.ref); errs.CodeOf(err) != errs.Conflict {
		t.Errorf("refund of an open check: %v, want conflict", err)
	}
	w.pay(t)
	if st := w.state(t); st.Status != check.Paid {
		t.Fatalf("after paying the check is %s", st.Status)
	}
	// another cashier of the shop, and an owner of another shop, may not
	// (an owner of this shop may: core/bot's cashier_cannot_refund)
	for _, stranger := range []merchant.Operator{
		{Merchant: w.op.Merchant, Messenger: "telegram", UserID: "43", Role: merchant.Cashier},
		{Merchant: "another-shop", Messenger: "telegram", UserID: "44", Role: merchant.Owner},
	} {
		if _, err := w.a.Checks.Refund(ctx, stranger, w.ref); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("refund by %+v: %v, want not found", stranger, err)
		}
	}
	st, err := w.a.Checks.Refund(ctx, w.op, w.ref)
	if err != nil {
		t.Fatalf("Refund: %v", err)
	}
	w.fake.Wait()
	if st.Status != check.Refunded || w.state(t).Status != check.Refunded {
		t.Errorf("after Refund the check is %s (stored %s), want refunded", st.Status, w.state(t).Status)
	}
	if n := len(w.state(t).Pending) + len(w.state(t).Notified); n != 2 { // paid, refunded: pending, no messenger here
		t.Errorf("notices: %+v", w.state(t))
	}
	invs := w.fake.Invoices()
	if len(invs) != 1 || invs[0].Status != "reversed" || len(invs[0].CancelList) != 1 {
		t.Errorf("the bank's invoices: %+v", invs)
	}
	if _, err := w.a.Checks.Refund(ctx, w.op, w.ref); errs.CodeOf(err) != errs.Conflict {
		t.Errorf("refund twice: %v, want conflict", err)
	}
	if n := len(w.fake.Invoices()[0].CancelList); n != 1 {
		t.Errorf("the bank was asked %d times, want once", n)
	}
}
