package e2e

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/paylastic/edge/core/bank/monobank"
	"github.com/paylastic/edge/core/kv"
	fakeliqpay "github.com/paylastic/edge/fakes/liqpay"
	fakemono "github.com/paylastic/edge/fakes/monobank"
	"github.com/paylastic/edge/wasm/hosttest"
)

// Credentials of the merchant at the fake acquirers.
const (
	acqMonoToken    = "uXvE2eTokenAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" // 44 characters
	acqLiqPublic    = "i00000000042"
	acqLiqPrivate   = "e2ePrivateKeyLIQPAYLIQPAYLIQPAYLIQPAY0042"
	acqMonoCreds    = `{"provider":"monobank","credentials":{"token":"` + acqMonoToken + `"}}`
	acqLiqPayCreds  = `{"provider":"liqpay","credentials":{"public_key":"` + acqLiqPublic + `","private_key":"` + acqLiqPrivate + `"}}`
	acqCardPaid     = "4242 4242 4242 4242"
	acqCardDeclined = "4000 0000 0000 0002"
)

// admin calls the admin API and returns the status and body.
func (s *shop) admin(method, path, body string) (int, string) {
	s.t.Helper()
	return adminCall(s.t, s.env.URL, method, path, body)
}

// switchTo sets the merchant's provider through the admin API.
func (s *shop) switchTo(body string) string {
	s.t.Helper()
	status, resp := s.admin("PUT", "/admin/merchants/"+s.merchant+"/provider", body)
	if status != http.StatusOK {
		s.t.Fatalf("switch provider = %d %s", status, resp)
	}
	return resp
}

// toBank has the buyer open the link and press «Оплатити»: the page the
// product answers with (monobank: the bank's page after the 303; LiqPay:
// our page with the form to the bank).
func (s *shop) toBank(b *buyer, link string) bpage {
	s.t.Helper()
	return b.Submit(b.Get(link), nil)
}

// monoPay fills the fake monobank's card page (its form posts to itself).
func (s *shop) monoPay(b *buyer, page bpage, card string) bpage {
	s.t.Helper()
	if !strings.Contains(page.Body, "Хочу оплатити") {
		s.t.Fatalf("not monobank's card page: %s (%d)\n%s", page.URL, page.Status, page.Body)
	}
	return b.Post(page.URL, url.Values{"cardNumber": {card}, "exp": {"12/30"}, "cvv": {"123"}})
}

// liqPay follows our redirect page to the fake LiqPay's checkout and pays
// there with card.
func (s *shop) liqPay(b *buyer, redirect bpage, card string) bpage {
	s.t.Helper()
	wantSays(s.t, redirect, `name="data"`, `name="signature"`)
	checkout := b.Submit(redirect, nil)
	if !strings.Contains(checkout.Body, "Хочу оплатити") {
		s.t.Fatalf("not LiqPay's card page: %s (%d)\n%s", checkout.URL, checkout.Status, checkout.Body)
	}
	return b.Submit(checkout, map[string]string{"cardNumber": card, "exp": "12/30", "cvv": "123"})
}

// monoInvoices are the fake monobank's invoices of the check with link.
func (s *shop) monoInvoices(link string) []fakemono.Invoice {
	ref := link[strings.LastIndexByte(link, '/')+1:]
	var out []fakemono.Invoice
	for _, inv := range s.mono.Invoices() {
		if inv.MerchantPaymInfo.Reference == ref {
			out = append(out, inv)
		}
	}
	return out
}

// liqOrders are the fake LiqPay's orders of the check with link.
func (s *shop) liqOrders(link string) []fakeliqpay.Order {
	ref := link[strings.LastIndexByte(link, '/')+1:]
	var out []fakeliqpay.Order
	for _, o := range s.liq.Orders() {
		if strings.HasPrefix(o.OrderID, ref+"-") {
			out = append(out, o)
		}
	}
	return out
}

// callback posts a bank callback to the product as the bank would, with
// the query (?ref=…) the product gave the bank, and returns the status.
func (s *shop) callback(provider, query, contentType string, body []byte, header map[string]string) int {
	s.t.Helper()
	pairs := []string{"Content-Type", contentType}
	for k, v := range header {
		pairs = append(pairs, k, v)
	}
	return deliver(s.t, s.env.URL+"/bank/"+provider+"/callback"+query, body, pairs...)
}

// query is the query string of a URL the product gave a bank ("?ref=…").
func query(u string) string {
	if i := strings.IndexByte(u, '?'); i >= 0 {
		return u[i:]
	}
	return ""
}

// scheduled runs the cron pass and fails the test on error.
func (s *shop) scheduled() {
	s.t.Helper()
	if err := s.env.Scheduled(context.Background()); err != nil {
		s.t.Fatalf("scheduled pass: %v", err)
	}
}

// wantMasked checks that the admin API shows the merchant's credentials
// masked and never in clear, and that KV holds them sealed.
func (s *shop) wantMasked(provider string, want map[string]string, secrets ...string) {
	s.t.Helper()
	status, body := s.admin("GET", "/admin/merchants/"+s.merchant+"/provider", "")
	var got struct {
		Provider    string            `json:"provider"`
		Credentials map[string]string `json:"credentials"`
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil || status != 200 || got.Provider != provider {
		s.t.Fatalf("GET provider = %d %s", status, body)
	}
	for k, v := range want {
		if got.Credentials[k] != v {
			s.t.Errorf("credentials.%s = %q, want %q", k, got.Credentials[k], v)
		}
	}
	_, merchantBody := s.admin("GET", "/admin/merchants/"+s.merchant, "")
	rec, _ := s.env.States.Get(context.Background(), "m:"+s.merchant)
	for _, secret := range secrets {
		for where, text := range map[string]string{"GET provider": body, "GET merchant": merchantBody, "the stored record": string(rec.Value)} {
			if strings.Contains(text, secret) {
				s.t.Errorf("%s shows a secret in clear", where)
			}
		}
	}
}

// pubkeyKeys is the number of monobank public keys cached in KV.
func (s *shop) pubkeyKeys() int {
	keys, _ := s.env.KV.List(context.Background(), monobank.PubkeyPrefix, "", 0)
	return len(keys.Keys)
}

// acquirer is what differs between the banks when a test walks the same
// flow at each of them: how the buyer pays on its pages and which knob of
// its fake loses callbacks.
type acquirer struct {
	name  string // the provider in the admin API and in /bank/{name}/callback
	creds string // the admin API's body that switches the merchant to it
	// pay takes the buyer from the product's answer to «Оплатити»
	// (toBank) through the bank's card page, paying with card.
	pay func(s *shop, b *buyer, page bpage, card string) bpage
	// loseCallbacks has the fake bank lose every callback from now on.
	loseCallbacks func(s *shop)
	// lastCallbacks are the bank's last n callbacks, as its fake logged
	// them.
	lastCallbacks func(s *shop, n int) []sentCallback
	// wait returns once the callbacks the fake sends in the background
	// (after a refund) were answered.
	wait func(s *shop)
	// payments are the statuses of the bank's payments of the check at
	// link (monobank's invoices, LiqPay's orders), oldest first.
	payments func(s *shop, link string) []string
	// keysCached is the number of the bank's public keys cached in KV;
	// nil for a bank whose callbacks the product checks with no key
	// fetched from the bank.
	keysCached func(s *shop) int
}

// The banks a merchant can switch to, each on its fake.
var (
	atMonobank = acquirer{
		name: "monobank", creds: acqMonoCreds, pay: (*shop).monoPay,
		loseCallbacks: func(s *shop) { s.mono.SetDropWebhooks(true) },
		lastCallbacks: func(s *shop, n int) []sentCallback {
			var out []sentCallback
			for _, wh := range lastN(s.mono.Webhooks(), n) {
				out = append(out, sentCallback{wh.Status, wh.Resent, wh.StatusCode})
			}
			return out
		},
		wait: func(s *shop) { s.mono.Wait() },
		payments: func(s *shop, link string) []string {
			var out []string
			for _, inv := range s.monoInvoices(link) {
				out = append(out, inv.Status)
			}
			return out
		},
		keysCached: (*shop).pubkeyKeys,
	}
	atLiqPay = acquirer{
		name: "liqpay", creds: acqLiqPayCreds, pay: (*shop).liqPay,
		loseCallbacks: func(s *shop) { s.liq.SetDropCallbacks(true) },
		lastCallbacks: func(s *shop, n int) []sentCallback {
			var out []sentCallback
			for _, cb := range lastN(s.liq.Callbacks(), n) {
				out = append(out, sentCallback{cb.Status, cb.Resent, cb.StatusCode})
			}
			return out
		},
		wait: func(s *shop) { s.liq.Wait() },
		payments: func(s *shop, link string) []string {
			var out []string
			for _, o := range s.liqOrders(link) {
				out = append(out, o.Status)
			}
			return out
		},
	}
	acquirers = []acquirer{atMonobank, atLiqPay}
)

// forAcquirers runs test once per bank, as a subtest named after it, on a
// fresh shop whose merchant has been switched to that bank.
func forAcquirers(t *testing.T, test func(t *testing.T, s *shop, a acquirer)) {
	for _, a := range acquirers {
		t.Run(a.name, func(t *testing.T) {
			s := newShop(t, hosttest.Options{}, fakeAcquirers)
			s.switchTo(a.creds)
			test(t, s, a)
		})
	}
}

// payLosingCallbacks has the buyer pay link at a, whose callbacks are lost
// from the bank's card page on, and stop at the bank's 303 back to us (not
// followed: the buyer never returns).
func (s *shop) payLosingCallbacks(a acquirer, b *buyer, link string) {
	s.t.Helper()
	page := s.toBank(b, link)
	a.loseCallbacks(s)
	b.StopAtRedirects()
	if p := a.pay(s, b, page, acqCardPaid); p.Status != http.StatusSeeOther {
		s.t.Fatalf("card form = %d, want 303 back to us (not followed)", p.Status)
	}
}

// switchFromSandbox checks that the merchant's buyers pay at the sandbox,
// then switches the merchant to the provider in body (the admin API's) and
// returns the API's answer.
func (s *shop) switchFromSandbox(body string) string {
	s.t.Helper()
	before, _ := s.newCheck("5,00")
	if p := s.toBank(s.buyer(), before); !strings.Contains(p.URL, "/sandbox/pay/") {
		s.t.Fatalf("before the switch «Оплатити» led to %s, want the sandbox", p.URL)
	}
	return s.switchTo(body)
}

// forgery is a callback the product must refuse: where it is posted (the
// query the bank was given), its body and headers, and the status wanted.
type forgery struct {
	name   string
	query  string
	body   []byte
	header map[string]string
	want   int
}

// wantRefused posts each forgery to provider's callback and wants its
// status, and nothing changed: no KV write, the operator told only told,
// the check at link still showing its failed attempt and other still
// payable.
func (s *shop) wantRefused(provider, contentType string, forgeries []forgery, b *buyer, link, other string, told ...string) {
	s.t.Helper()
	at := s.env.KV.Snapshot()
	for _, f := range forgeries {
		if got := s.callback(provider, f.query, contentType, f.body, f.header); got != f.want {
			s.t.Errorf("%s: %d, want %d", f.name, got, f.want)
		}
	}
	if puts := s.env.KV.Snapshot().Sub(at).Puts; puts != 0 {
		s.t.Errorf("refused callbacks wrote %d times to KV", puts)
	}
	s.wantTold(told...)
	wantSays(s.t, b.Get(link), "Попередня спроба оплати не вдалася")
	wantSays(s.t, b.Get(other), ">Оплатити<")
}

// sentCallback is one callback a fake bank sent: the status it carried,
// whether it was sent again (Resend, SendStale), and how we answered it.
type sentCallback struct {
	status string
	resent bool
	code   int
}

// lastN is the last n of xs (all of them when there are fewer).
func lastN[T any](xs []T, n int) []T { return xs[max(0, len(xs)-n):] }

// wantResendsIgnored checks what the stale and the duplicate callback that
// a's fake has just sent again did since at: both answered 200 (so the bank
// stops sending them), nothing written to KV, the check at link still paid
// and the operator told only told.
func (s *shop) wantResendsIgnored(a acquirer, at kv.Counts, b *buyer, link string, told ...string) {
	s.t.Helper()
	cbs := a.lastCallbacks(s, 2)
	if len(cbs) != 2 {
		s.t.Errorf("%s sent %d callbacks, want the stale and the duplicate one", a.name, len(cbs))
	}
	for _, cb := range cbs {
		if !cb.resent || cb.code != 200 {
			s.t.Errorf("resent %s callback answered %d, want 200", cb.status, cb.code)
		}
	}
	if puts := s.env.KV.Snapshot().Sub(at).Puts; puts != 0 {
		s.t.Errorf("stale and duplicate callbacks wrote %d times to KV", puts)
	}
	wantSays(s.t, b.Get(link), "Чек оплачено")
	s.wantTold(told...)
}

// paidCheck is a new check of amount that a new buyer has paid at a with
// the good card: its link, and the buyer.
func (s *shop) paidCheck(a acquirer, amount string) (string, *buyer) {
	s.t.Helper()
	link, _ := s.newCheck(amount)
	b := s.buyer()
	wantSays(s.t, a.pay(s, b, s.toBank(b, link), acqCardPaid), "Оплату прийнято")
	return link, b
}
