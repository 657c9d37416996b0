package e2e

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/paylastic/edge/core/bank/liqpay/sign"
	"github.com/paylastic/edge/core/checks"
	"github.com/paylastic/edge/core/httpx"
	"github.com/paylastic/edge/wasm/hosttest"
)

// TestLiqPayPays: a merchant switched from the sandbox to LiqPay through the
// admin API takes the next payment at LiqPay, without a restart. The buyer
// gets our page with the form to LiqPay's checkout, a declined card, then a second order for the same check
// paid; the operator is told once about each.
func TestLiqPayPays(t *testing.T) {
	s := newShop(t, hosttest.Options{}, fakeAcquirers)
	resp := s.switchFromSandbox(acqLiqPayCreds)
	if strings.Contains(resp, acqLiqPrivate) || !strings.Contains(resp, `"public_key":"`+acqLiqPublic+`"`) {
		t.Errorf("the switch answers %s: want the private key masked", resp)
	}
	s.wantMasked("liqpay", map[string]string{"public_key": acqLiqPublic, "private_key": "…(41 chars)", "sandbox": "false"}, acqLiqPrivate)

	link, _ := s.newCheck("12,50")
	b := s.buyer()
	redirect := s.toBank(b, link)
	if redirect.Status != http.StatusOK || redirect.URL != link+"/pay" {
		t.Fatalf("«Оплатити» = %d at %s, want our page with the form to LiqPay", redirect.Status, redirect.URL)
	}
	wantSays(t, redirect, `action="`+s.liqURL+`/api/3/checkout"`, `name="data"`, `name="signature"`, "Перейти до оплати", "12,50 грн")
	// it submits itself with the one script the CSP allows (a browser test
	// proves it runs); this client, like a browser without JavaScript,
	// presses the button
	if strings.Count(redirect.Body, "<script") != 1 || !strings.Contains(redirect.Body, "<script>"+httpx.AutoSubmit+"</script>") ||
		redirect.Header.Get("Content-Security-Policy") != httpx.CSPFormTo(s.liqURL) {
		t.Errorf("the redirect page: CSP %q, want %q (forms to LiqPay only); body:\n%s", redirect.Header.Get("Content-Security-Policy"), httpx.CSPFormTo(s.liqURL), redirect.Body)
	}
	if strings.Contains(redirect.Body, acqLiqPrivate) {
		t.Error("the redirect page shows the private key")
	}

	res := s.liqPay(b, redirect, acqCardDeclined)
	if res.URL != link+"/result" {
		t.Errorf("LiqPay returned the buyer to %s, want %s/result", res.URL, link)
	}
	wantSays(t, res, "Оплата не вдалася", "Перевищено ліміт картки", ">Оплатити<")
	s.wantTold("Перевищено ліміт картки")

	res = s.liqPay(b, s.toBank(b, link+"/result"), acqCardPaid)
	wantSays(t, res, "Оплату прийнято", "12,50 грн")
	s.wantTold("Перевищено ліміт картки", "Оплачено")
	wantSays(t, b.Get(link), "Чек оплачено")

	orders := s.liqOrders(link)
	ref := link[strings.LastIndexByte(link, '/')+1:]
	if len(orders) != 2 || orders[0].OrderID != ref+"-1" || orders[1].OrderID != ref+"-2" ||
		orders[0].Status != "failure" || orders[1].Status != "success" {
		t.Fatalf("LiqPay's orders of the check: %+v", orders)
	}
	for _, o := range orders {
		if o.Amount != 1250 || o.Currency != "UAH" || o.ResultURL != link+"/result" || o.Language != "uk" || o.Sandbox ||
			!strings.HasPrefix(o.ServerURL, s.env.URL+"/bank/liqpay/callback?ref=") || o.ExpiredDate.IsZero() {
			t.Errorf("order %s: %+v", o.OrderID, o)
		}
	}
	for _, cb := range s.liq.Callbacks() {
		if !cb.Delivered() {
			t.Errorf("callback %s %s answered %d %s", cb.OrderID, cb.Status, cb.StatusCode, cb.Err)
		}
	}
}

// TestLiqPayResume: the buyer goes to LiqPay, comes back without paying
// and presses «Оплатити» again: the same order is posted again, not a new
// one, and it can be paid.
func TestLiqPayResume(t *testing.T) {
	s := newShop(t, hosttest.Options{}, fakeAcquirers)
	s.switchTo(acqLiqPayCreds)
	link, _ := s.newCheck("12,50")
	b := s.buyer()
	first := s.toBank(b, link)
	if p := b.Submit(first, nil); !strings.Contains(p.Body, "Хочу оплатити") {
		t.Fatalf("LiqPay's checkout: %d\n%s", p.Status, p.Body)
	}
	b.Lang = "en" // the buyer switched languages meanwhile: still the same order
	again := s.toBank(b, link)
	wantSays(t, again, "Continue to payment")
	res := s.liqPay(b, again, acqCardPaid)
	wantSays(t, res, "Payment accepted")
	if orders := s.liqOrders(link); len(orders) != 1 {
		t.Errorf("LiqPay has %d orders for the check, want 1", len(orders))
	}
	s.wantTold("Оплачено")
}

// TestLiqPayResultPOST: LiqPay may return the buyer with a POST carrying
// its signed data; the result page takes it and shows the check's state.
func TestLiqPayResultPOST(t *testing.T) {
	s := newShop(t, hosttest.Options{}, fakeAcquirers)
	s.switchTo(acqLiqPayCreds)
	s.liq.SetResultMethod("POST")
	link, _ := s.newCheck("12,50")
	b := s.buyer()
	back := s.liqPay(b, s.toBank(b, link), acqCardPaid)
	res := b.Submit(back, nil) // LiqPay's page auto-submits; this browser has no script
	if res.URL != link+"/result" {
		t.Errorf("the buyer is at %s, want %s/result", res.URL, link)
	}
	wantSays(t, res, "Оплату прийнято")
	s.wantTold("Оплачено")
}

// TestLiqPayExpired: the buyer opened LiqPay's checkout and left; after the
// check's expiry the scheduled pass finds no payment and expires it.
func TestLiqPayExpired(t *testing.T) {
	s := newShop(t, hosttest.Options{}, fakeAcquirers)
	s.switchTo(acqLiqPayCreds)
	link, _ := s.newCheck("12,50")
	b := s.buyer()
	b.Submit(s.toBank(b, link), nil)
	needScheduledWiring(t)
	s.env.Clock.Advance(checks.DefaultTTL + 5*time.Minute)
	s.scheduled()
	wantSays(t, s.buyer().Get(link), "Термін дії чека минув")
	s.wantTold("Час вийшов")
}

// TestLiqPayStaleAndDuplicateCallbacks: the first order's failure sent again
// after the second order paid, and the success sent twice, change nothing,
// write nothing and tell nobody again.
func TestLiqPayStaleAndDuplicateCallbacks(t *testing.T) {
	s := newShop(t, hosttest.Options{}, fakeAcquirers)
	s.switchTo(acqLiqPayCreds)
	link, _ := s.newCheck("12,50")
	b := s.buyer()
	s.liqPay(b, s.toBank(b, link), acqCardDeclined)
	s.env.Clock.Advance(time.Minute)
	wantSays(t, s.liqPay(b, s.toBank(b, link+"/result"), acqCardPaid), "Оплату прийнято")
	s.wantTold("Перевищено ліміт картки", "Оплачено")
	orders := s.liqOrders(link)
	at := s.env.KV.Snapshot()
	if err := s.liq.SendStale(orders[0].OrderID, "failure"); err != nil {
		t.Fatal(err)
	}
	if err := s.liq.Resend(orders[1].OrderID); err != nil {
		t.Fatal(err)
	}
	s.wantResendsIgnored(atLiqPay, at, b, link, "Перевищено ліміт картки", "Оплачено")
}

// TestLiqPayForgedCallback: callbacks not signed with the merchant's
// private key, or signed for another check, are refused and change nothing.
func TestLiqPayForgedCallback(t *testing.T) {
	s := newShop(t, hosttest.Options{}, fakeAcquirers)
	s.switchTo(acqLiqPayCreds)
	link, _ := s.newCheck("12,50")
	other, _ := s.newCheck("99,00")
	b := s.buyer()
	wantSays(t, s.liqPay(b, s.toBank(b, link), acqCardDeclined), "Оплата не вдалася")
	s.wantTold("Перевищено ліміт картки")
	cbs := s.liq.Callbacks()
	failed := cbs[len(cbs)-1]
	var p map[string]any
	if err := sign.Decode(failed.Data, &p); err != nil {
		t.Fatal(err)
	}
	p["status"] = "success"
	delete(p, "err_code")
	delete(p, "err_description")
	forgedData, _ := sign.Data(p)
	form := func(data, sig string) []byte {
		return []byte(url.Values{"data": {data}, "signature": {sig}}.Encode())
	}
	q := query(failed.URL)
	otherRef := other[strings.LastIndexByte(other, '/')+1:]

	s.wantRefused("liqpay", "application/x-www-form-urlencoded", []forgery{
		{"signed with another key", q, form(forgedData, sign.Signature("not-the-private-key", forgedData)), nil, 401},
		{"the genuine signature on changed data", q, form(forgedData, failed.Signature), nil, 401},
		{"no signature", q, form(forgedData, ""), nil, 401},
		{"signed with the public key", q, form(forgedData, sign.Signature(acqLiqPublic, forgedData)), nil, 401},
		{"for no check of ours", "?ref=AQ" + strings.Repeat("A", 80), form(forgedData, failed.Signature), nil, 401},
		{"genuine, for another check", "?ref=" + otherRef, form(failed.Data, failed.Signature), nil, 400},
	}, b, link, other, "Перевищено ліміт картки")
}

// TestProviderSwitchBack: a merchant switched to monobank and back to the
// sandbox takes payments at the sandbox again, and its token is gone.
func TestProviderSwitchBack(t *testing.T) {
	s := newShop(t, hosttest.Options{}, fakeAcquirers)
	s.switchTo(acqMonoCreds)
	s.switchTo(`{"provider":"sandbox"}`)
	link, _ := s.newCheck("12,50")
	if p := s.toBank(s.buyer(), link); !strings.Contains(p.URL, "/sandbox/pay/") {
		t.Errorf("after switching back «Оплатити» led to %s, want the sandbox", p.URL)
	}
	status, body := s.admin("GET", "/admin/merchants/"+s.merchant+"/provider", "")
	if status != 200 || strings.Contains(body, "credentials") {
		t.Errorf("GET provider = %d %s, want the sandbox without credentials", status, body)
	}
	if status, body := s.admin("PUT", "/admin/merchants/"+s.merchant+"/provider", `{"provider":"monobank","credentials":{"token":"x"}}`); status != 400 {
		t.Errorf("a malformed token = %d %s, want 400", status, body)
	}
}
