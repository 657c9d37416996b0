package e2e

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/paylastic/edge/core/bank/monobank"
	"github.com/paylastic/edge/core/cas"
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

// acqShop is a shop (buyer_helpers_test.go) whose merchant can be switched to
// a fake acquirer, running on the harness's clock.
type acqShop struct {
	*shop
	merchant string
	mono     *fakemono.Server
	liq      *fakeliqpay.Server
	monoURL  string // the fakes' base URLs
	liqURL   string
}

// newAcqShop starts the fakes of monobank and LiqPay, points the guest at
// them (MONOBANK_API_URL, LIQPAY_API_URL) and starts the shop. Its merchant
// is on the sandbox until switched.
func newAcqShop(t *testing.T) *acqShop { return startAcqShop(t, httptest.NewServer) }

// newAcqShopTLS is newAcqShop with the fakes served over https, as the real
// banks are: a browser's form may post only to https (the pages' CSP), and
// the guest trusts the fakes' test certificate.
func newAcqShopTLS(t *testing.T) *acqShop { return startAcqShop(t, httptest.NewTLSServer) }

func startAcqShop(t *testing.T, serve func(http.Handler) *httptest.Server) *acqShop {
	t.Helper()
	a := &acqShop{mono: fakemono.New(acqMonoToken), liq: fakeliqpay.New(acqLiqPublic, acqLiqPrivate)}
	now := func() time.Time { return a.env.Clock.Now() } // set before either fake serves
	a.mono.Now, a.liq.Now = now, now
	monoSrv := serve(a.mono)
	t.Cleanup(monoSrv.Close)
	liqSrv := serve(a.liq)
	t.Cleanup(liqSrv.Close)
	a.monoURL, a.liqURL = monoSrv.URL, liqSrv.URL
	a.shop = newShop(t, hosttest.Options{Env: map[string]string{
		"MONOBANK_API_URL": monoSrv.URL,
		"LIQPAY_API_URL":   liqSrv.URL,
	}})
	if monoSrv.TLS != nil {
		// both test servers share httptest's one certificate
		a.env.Outbound.Use(liqSrv.Client().Transport)
	}
	items, err := a.env.States.List(context.Background(), "m:", "", cas.MaxList)
	if err != nil || len(items) != 1 {
		t.Fatalf("merchants in the store: %v, %v; want one", items, err)
	}
	a.merchant = strings.TrimPrefix(items[0].Key, "m:")
	return a
}

// admin calls the admin API and returns the status and body.
func (a *acqShop) admin(method, path, body string) (int, string) {
	a.t.Helper()
	req, _ := http.NewRequest(method, a.env.URL+path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+hosttest.AdminToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// switchTo sets the merchant's provider through the admin API.
func (a *acqShop) switchTo(body string) string {
	a.t.Helper()
	status, resp := a.admin("PUT", "/admin/merchants/"+a.merchant+"/provider", body)
	if status != http.StatusOK {
		a.t.Fatalf("switch provider = %d %s", status, resp)
	}
	return resp
}

// toBank has the buyer open the link and press «Оплатити»: the page the
// product answers with (monobank: the bank's page after the 303; LiqPay:
// our page with the form to the bank).
func (a *acqShop) toBank(b *buyer, link string) bpage {
	a.t.Helper()
	return b.submit(b.get(link), nil)
}

// monoPay fills the fake monobank's card page (its form posts to itself).
func (a *acqShop) monoPay(b *buyer, page bpage, card string) bpage {
	a.t.Helper()
	if !strings.Contains(page.body, "Хочу оплатити") {
		a.t.Fatalf("not monobank's card page: %s (%d)\n%s", page.url, page.status, page.body)
	}
	return b.post(page.url, url.Values{"cardNumber": {card}, "exp": {"12/30"}, "cvv": {"123"}})
}

// liqPay follows our redirect page to the fake LiqPay's checkout and pays
// there with card.
func (a *acqShop) liqPay(b *buyer, redirect bpage, card string) bpage {
	a.t.Helper()
	wantSays(a.t, redirect, `name="data"`, `name="signature"`)
	checkout := b.submit(redirect, nil)
	if !strings.Contains(checkout.body, "Хочу оплатити") {
		a.t.Fatalf("not LiqPay's card page: %s (%d)\n%s", checkout.url, checkout.status, checkout.body)
	}
	return b.submit(checkout, map[string]string{"cardNumber": card, "exp": "12/30", "cvv": "123"})
}

// monoInvoices are the fake monobank's invoices of the check with link.
func (a *acqShop) monoInvoices(link string) []fakemono.Invoice {
	ref := link[strings.LastIndexByte(link, '/')+1:]
	var out []fakemono.Invoice
	for _, inv := range a.mono.Invoices() {
		if inv.MerchantPaymInfo.Reference == ref {
			out = append(out, inv)
		}
	}
	return out
}

// liqOrders are the fake LiqPay's orders of the check with link.
func (a *acqShop) liqOrders(link string) []fakeliqpay.Order {
	ref := link[strings.LastIndexByte(link, '/')+1:]
	var out []fakeliqpay.Order
	for _, o := range a.liq.Orders() {
		if strings.HasPrefix(o.OrderID, ref+"-") {
			out = append(out, o)
		}
	}
	return out
}

// callback posts a bank callback to the product as the bank would, with
// the query (?ref=…) the product gave the bank, and returns the status.
func (a *acqShop) callback(provider, query, contentType string, body []byte, header map[string]string) int {
	a.t.Helper()
	req, _ := http.NewRequest("POST", a.env.URL+"/bank/"+provider+"/callback"+query, strings.NewReader(string(body)))
	req.Header.Set("Content-Type", contentType)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// query is the query string of a URL the product gave a bank ("?ref=…").
func query(u string) string {
	if i := strings.IndexByte(u, '?'); i >= 0 {
		return u[i:]
	}
	return ""
}

// scheduled runs the cron pass and fails the test on error.
func (a *acqShop) scheduled() {
	a.t.Helper()
	if err := a.env.Scheduled(context.Background()); err != nil {
		a.t.Fatalf("scheduled pass: %v", err)
	}
}

// wantMasked checks that the admin API shows the merchant's credentials
// masked and never in clear, and that KV holds them sealed.
func (a *acqShop) wantMasked(provider string, want map[string]string, secrets ...string) {
	a.t.Helper()
	status, body := a.admin("GET", "/admin/merchants/"+a.merchant+"/provider", "")
	var got struct {
		Provider    string            `json:"provider"`
		Credentials map[string]string `json:"credentials"`
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil || status != 200 || got.Provider != provider {
		a.t.Fatalf("GET provider = %d %s", status, body)
	}
	for k, v := range want {
		if got.Credentials[k] != v {
			a.t.Errorf("credentials.%s = %q, want %q", k, got.Credentials[k], v)
		}
	}
	_, merchantBody := a.admin("GET", "/admin/merchants/"+a.merchant, "")
	rec, _ := a.env.States.Get(context.Background(), "m:"+a.merchant)
	for _, s := range secrets {
		for where, text := range map[string]string{"GET provider": body, "GET merchant": merchantBody, "the stored record": string(rec.Value)} {
			if strings.Contains(text, s) {
				a.t.Errorf("%s shows a secret in clear", where)
			}
		}
	}
}

// pubkeyKeys is the number of monobank public keys cached in KV.
func (a *acqShop) pubkeyKeys() int {
	keys, _ := a.env.KV.List(context.Background(), monobank.PubkeyPrefix, "", 0)
	return len(keys.Keys)
}
