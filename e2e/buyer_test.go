// Package e2e runs the product's scenarios on the compiled WebAssembly guest
// (wasm/hosttest): the test plays the operator on a fake Telegram, the buyer
// with a browser that follows redirects and submits forms, and, where it
// needs to, a bank replaying or forging callbacks.
package e2e

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/paylastic/edge/core/bank/sandbox"
	"github.com/paylastic/edge/core/checks"
	"github.com/paylastic/edge/wasm/hosttest"
)

// TestBuyerPays: a declined card, then the same link paid; the result page
// says so each time and the operator is told once about each.
func TestBuyerPays(t *testing.T) {
	s := newShop(t, hosttest.Options{})
	link, _ := s.newCheck("12,50")
	b := s.buyer()

	pg := b.Get(link)
	wantSays(t, pg, "Кавʼярня «Ранок»", "12,50 грн", "на власному телефоні", ">Оплатити<")
	bankPage := b.Submit(pg, nil)
	if !strings.Contains(bankPage.URL, "/sandbox/pay/") {
		t.Fatalf("«Оплатити» led to %s, want the sandbox bank", bankPage.URL)
	}
	wantSays(t, bankPage, "Хочу оплатити", "12,50 грн", "Кавʼярня «Ранок»")

	res := b.Submit(bankPage, sandboxCard(sbCardDeclined))
	if res.URL != link+"/result" {
		t.Errorf("the bank returned the buyer to %s, want %s/result", res.URL, link)
	}
	wantSays(t, res, "Оплата не вдалася", "Недостатньо коштів", ">Оплатити<")
	s.wantTold("Недостатньо коштів")

	res = b.Submit(b.Submit(res, nil), sandboxCard(sbCardPaid))
	wantSays(t, res, "Оплату прийнято", "12,50 грн", "Кавʼярня «Ранок»")
	if strings.Contains(res.Body, `http-equiv="refresh"`) {
		t.Error("the final result bpage reloads itself")
	}
	s.wantTold("Недостатньо коштів", "Оплачено")

	wantSays(t, b.Get(link), "Чек оплачено")
	if p := b.Post(link+"/pay", url.Values{}); p.Status != http.StatusConflict || strings.Contains(p.URL, "/sandbox/") {
		t.Errorf("paying the paid check again: %d at %s, want 409 on our bpage", p.Status, p.URL)
	}
	s.wantTold("Недостатньо коштів", "Оплачено")
}

// TestBuyerPaysInEnglish: the browser asks for English and gets it on
// every page, the bank's included.
func TestBuyerPaysInEnglish(t *testing.T) {
	s := newShop(t, hosttest.Options{})
	link, _ := s.newCheck("1 200")
	b := s.buyer()
	b.Lang = "en-US,en;q=0.9"
	pg := b.Get(link)
	wantSays(t, pg, "UAH 1,200.00", "Pay only on your own phone", ">Pay<")
	bankPage := b.Submit(pg, nil)
	wantSays(t, bankPage, "Card number", "Хочу оплатити")
	res := b.Submit(bankPage, sandboxCard(sbCardDeclined))
	wantSays(t, res, "The payment failed", "Insufficient funds")
	wantSays(t, b.Submit(b.Submit(res, nil), sandboxCard(sbCardPaid)), "Payment accepted")
}

// TestKVWrites counts the KV writes of a paid check, end to end, from the
// operator's amount to the operator's notice.
func TestKVWrites(t *testing.T) {
	s := newShop(t, hosttest.Options{})
	b := s.buyer()
	at := s.env.KV.Snapshot()
	link, _ := s.newCheck("12,50")
	created := s.env.KV.Snapshot().Sub(at)
	pg := b.Get(link)
	at = s.env.KV.Snapshot()
	bankPage := b.Submit(pg, nil)
	started := s.env.KV.Snapshot().Sub(at)
	at = s.env.KV.Snapshot()
	res := b.Submit(bankPage, sandboxCard(sbCardPaid))
	paid := s.env.KV.Snapshot().Sub(at)
	wantSays(t, res, "Оплату прийнято")
	s.wantTold("Оплачено")
	const bankWrites = 1 // the sandbox bank's own record, sb:{payment}
	product := created.Puts + started.Puts + paid.Puts - bankWrites
	t.Logf("KV writes: create %d, start %d, card+callback+result %d (of which the sandbox bank's %d): product %d; reads %d",
		created.Puts, started.Puts, paid.Puts, bankWrites, product, created.Gets+started.Gets+paid.Gets)
	if product > 3 {
		t.Errorf("a paid check cost %d KV writes, want at most 3", product)
	}
	keys, err := s.env.KV.List(context.Background(), sandbox.RecordPrefix, "", 0)
	if err != nil || len(keys.Keys) != bankWrites {
		t.Errorf("sandbox records = %v, %v; want %d", keys.Keys, err, bankWrites)
	}
}

// TestCallbackAbuse: replays, a forgery, a callback for a check that is not
// ours and an old failure after the payment change nothing, tell nobody
// twice and get the right answers.
func TestCallbackAbuse(t *testing.T) {
	s := newShop(t, hosttest.Options{})
	tp := tapCallbacks(s.env)
	link, _ := s.newCheck("12,50")
	b := s.buyer()
	res := b.Submit(b.Submit(b.Get(link), nil), sandboxCard(sbCardDeclined))
	res = b.Submit(b.Submit(res, nil), sandboxCard(sbCardPaid))
	wantSays(t, res, "Оплату прийнято")
	s.wantTold("Недостатньо коштів", "Оплачено")
	cbs := tp.all()
	if len(cbs) != 2 {
		t.Fatalf("the sandbox sent %d callbacks, want 2", len(cbs))
	}
	failed, paid := cbs[0], cbs[1]

	before := s.env.KV.Snapshot()
	for i := 0; i < 3; i++ {
		if got := s.postCallback("sandbox", paid.body, paid.sig); got != 200 {
			t.Errorf("replay %d = %d, want 200", i+1, got)
		}
	}
	if got := s.postCallback("sandbox", failed.body, failed.sig); got != 200 {
		t.Errorf("old failure after paid = %d, want 200", got)
	}
	if got := s.env.KV.Snapshot().Sub(before).Puts; got != 0 {
		t.Errorf("replays wrote %d times to KV", got)
	}

	forged := []byte(strings.Replace(string(failed.body), `"failure"`, `"success"`, 1))
	var other map[string]any
	_ = json.Unmarshal(paid.body, &other)
	other["order_id"] = "AQ" + strings.Repeat("A", 80)
	unknown, _ := json.Marshal(other)
	for _, tt := range []struct {
		name     string
		provider string
		body     []byte
		sig      string
		want     int
	}{
		{"forged signature", "sandbox", forged, failed.sig, 401},
		{"no signature", "sandbox", paid.body, "", 401},
		{"unknown provider", "nobank", paid.body, paid.sig, 404},
		{"unknown check", "sandbox", unknown, signSandbox(unknown), 404},
		{"malformed", "sandbox", []byte("{"), signSandbox([]byte("{")), 400},
	} {
		if got := s.postCallback(tt.provider, tt.body, tt.sig); got != tt.want {
			t.Errorf("%s: %d, want %d", tt.name, got, tt.want)
		}
	}
	if got := s.postCallback("monobank", paid.body, paid.sig); got < 400 || got >= 500 {
		t.Errorf("the sandbox's callback posted as monobank's = %d, want 4xx", got)
	}
	s.env.Clock.Advance(sandbox.MaxAge + time.Second)
	if got := s.postCallback("sandbox", paid.body, paid.sig); got != 401 {
		t.Errorf("stale replay = %d, want 401", got)
	}
	wantSays(t, b.Get(link), "Чек оплачено")
	s.wantTold("Недостатньо коштів", "Оплачено")
}

// TestLostCallback: the bank's callback never arrives and the buyer closes
// the tab at the bank; the scheduled pass asks the bank and tells the
// operator, once.
func TestLostCallback(t *testing.T) {
	s := newShop(t, hosttest.Options{})
	undo := s.env.Outbound.DropPath("/bank/sandbox/callback")
	defer undo()
	link, _ := s.newCheck("12,50")
	b := s.buyer().StopAtRedirects()
	toBank := b.Submit(b.Get(link), nil)
	if toBank.Status != http.StatusSeeOther {
		t.Fatalf("«Оплатити» = %d, want 303", toBank.Status)
	}
	bankPage := b.Get(toBank.Header.Get("Location"))
	if p := b.Submit(bankPage, sandboxCard(sbCardPaid)); p.Status != http.StatusSeeOther {
		t.Fatalf("card form = %d, want 303", p.Status)
	}
	s.wantTold()
	needScheduledWiring(t)
	if err := s.env.Scheduled(context.Background()); err != nil {
		t.Fatal(err)
	}
	s.wantTold() // the callback may still come: not asked before 2 min
	s.env.Clock.Advance(checks.ReconcileAfter + time.Second)
	if err := s.env.Scheduled(context.Background()); err != nil {
		t.Fatal(err)
	}
	s.wantTold("Оплачено")
	s.env.Clock.Advance(5 * time.Minute)
	if err := s.env.Scheduled(context.Background()); err != nil {
		t.Fatal(err)
	}
	s.wantTold("Оплачено")
	wantSays(t, b.Get(link), "Чек оплачено")
}

// TestLostCallbackBuyerReturns: the callback is lost but the buyer comes
// back to the result page, which asks the bank.
func TestLostCallbackBuyerReturns(t *testing.T) {
	s := newShop(t, hosttest.Options{})
	defer s.env.Outbound.DropPath("/bank/sandbox/callback")()
	link, _ := s.newCheck("12,50")
	b := s.buyer()
	res := b.Submit(b.Submit(b.Get(link), nil), sandboxCard(sbCardPaid))
	wantSays(t, res, "Оплату прийнято")
	s.wantTold("Оплачено")
}

// TestLinkUnderKVLag: every request runs in another location that sees
// other locations' writes a minute late. A link of a merchant registered a
// second earlier, opened a second after the check was created, shows the
// right amount and can be paid (the merchant is in the consistent store,
// not in KV); the result page waits for the state to arrive, and the
// operator is told once.
func TestLinkUnderKVLag(t *testing.T) {
	s := newShop(t, hosttest.Options{Lag: time.Minute})
	link, _ := s.newCheck("77,70")
	s.env.Clock.Advance(time.Second)
	b := s.buyer()
	b.Loc = "buyers-phone" // never where the check was created or the bank calls back
	pg := b.Get(link)
	wantSays(t, pg, "77,70 грн", "Кавʼярня «Ранок»", ">Оплатити<")
	res := b.Submit(b.Submit(pg, nil), sandboxCard(sbCardPaid))
	wantSays(t, res, "Оплату прийнято") // the bank's record is where the buyer paid
	s.wantTold()                        // the invoice, and so the chat, is not visible yet
	s.env.Clock.Advance(time.Minute + time.Second)
	wantSays(t, b.Get(link), "Чек оплачено")
	other := s.buyer()
	wantSays(t, other.Get(link+"/result"), "Оплату прийнято")
	needScheduledWiring(t)
	s.env.Clock.Advance(checks.ClaimLease) // the claim of the notice nobody could send lapses
	if err := s.env.Scheduled(context.Background()); err != nil {
		t.Fatal(err)
	}
	s.wantTold("Оплачено")
	s.env.Clock.Advance(time.Minute)
	if err := s.env.Scheduled(context.Background()); err != nil {
		t.Fatal(err)
	}
	s.wantTold("Оплачено")
}

// TestNotPayable: an expired or a cancelled check cannot be paid, from its
// page or by posting to the start route.
func TestNotPayable(t *testing.T) {
	t.Run("expired", func(t *testing.T) {
		s := newShop(t, hosttest.Options{})
		link, _ := s.newCheck("12,50")
		b := s.buyer()
		open := b.Get(link)
		s.env.Clock.Advance(checks.DefaultTTL + time.Second)
		pg := b.Get(link)
		wantSays(t, pg, "Термін дії чека минув")
		if strings.Contains(pg.Body, "<form") {
			t.Error("the bpage of an expired check offers to pay")
		}
		p := b.Submit(open, nil) // the form of the page opened before expiry
		if p.Status != http.StatusConflict || strings.Contains(p.URL, "/sandbox/") {
			t.Errorf("paying the expired check: %d at %s, want 409 on our bpage", p.Status, p.URL)
		}
		wantSays(t, p, "Термін дії чека минув")
	})
	t.Run("cancelled", func(t *testing.T) {
		s := newShop(t, hosttest.Options{})
		link, msg := s.newCheck("12,50")
		b := s.buyer()
		open := b.Get(link)
		bankPage := b.Submit(open, nil)
		s.press(msg, inlineData(t, msg, "cancel:"))
		pg := b.Get(link)
		wantSays(t, pg, "Чек скасовано")
		if strings.Contains(pg.Body, "<form") {
			t.Error("the bpage of a cancelled check offers to pay")
		}
		if p := b.Submit(open, nil); p.Status != http.StatusConflict || strings.Contains(p.URL, "/sandbox/") {
			t.Errorf("paying the cancelled check: %d at %s, want 409 on our bpage", p.Status, p.URL)
		}
		res := b.Submit(bankPage, sandboxCard(sbCardPaid)) // the bank's page opened before
		wantSays(t, res, "Чек скасовано")
		s.wantTold()
	})
}

// TestPagesOnGuest: the compiled guest renders every page kind, in both
// languages (the golden files of core/pay pin the exact HTML natively).
func TestPagesOnGuest(t *testing.T) {
	s := newShop(t, hosttest.Options{})
	link, _ := s.newCheck("12,50")
	for _, tt := range []struct {
		lang, path string
		status     int
		want       []string
	}{
		{"uk", "", 200, []string{`<html lang="uk">`, "12,50 грн", "Обережно, шахраї!"}},
		{"en", "", 200, []string{`<html lang="en">`, "UAH 12.50", "Beware of fraud!"}},
		{"uk", "/result", 200, []string{"Чекаємо підтвердження", "Перевірити ще раз</a>"}},
		{"en", "/result", 200, []string{"Waiting for the bank", "Check again</a>"}},
		{"uk", "x", 404, []string{"Посилання недійсне"}},
		{"en", "x", 404, []string{"This link is not valid"}},
	} {
		b := s.buyer()
		b.Lang = tt.lang
		p := b.Get(link + tt.path)
		if p.Status != tt.status {
			t.Errorf("%s %s = %d, want %d", tt.lang, tt.path, p.Status, tt.status)
		}
		wantSays(t, p, tt.want...)
		if p.Header.Get("X-Frame-Options") != "DENY" || !strings.Contains(p.Header.Get("Content-Security-Policy"), "default-src 'none'") {
			t.Errorf("%s: security headers missing: %v", tt.path, p.Header)
		}
		if strings.Contains(p.Body, "<script") {
			t.Errorf("%s: the bpage has a script", tt.path)
		}
	}
	qr := s.buyer().Get(link + "/qr.png")
	if qr.Status != 200 || qr.Header.Get("Content-Type") != "image/png" || qr.Header.Get("Cache-Control") != "public, max-age=86400, immutable" {
		t.Errorf("qr.png = %d %v", qr.Status, qr.Header)
	}
}

// BenchmarkBuyerPagesOnGuest: one buyer request on the compiled guest, a
// fresh instance each (as on Workers): the payment page, the result page
// asking the bank, the QR code, against /healthz as the baseline. It
// reports the test process's CPU time per request (the harness runs the
// guest in process), which other load on the machine does not inflate the
// way it does wall time.
func BenchmarkBuyerPagesOnGuest(b *testing.B) {
	s := newShop(b, hosttest.Options{})
	link, _ := s.newCheck("12,50")
	by := s.buyer()
	by.Submit(by.Get(link), nil) // an attempt, pending: the result page asks the bank
	for _, tt := range []struct{ name, url string }{
		{"healthz", s.env.URL + "/healthz"},
		{"page", link},
		{"result", link + "/result"},
		{"notfound", s.env.URL + "/p/forged"},
		{"qr.png", link + "/qr.png"},
	} {
		b.Run(tt.name, func(b *testing.B) {
			before, cpu := s.env.KV.Snapshot(), cpuTime()
			for b.Loop() {
				if p := by.Get(tt.url); p.Status != 200 && p.Status != 404 {
					b.Fatalf("%s = %d", tt.url, p.Status)
				}
			}
			kv := s.env.KV.Snapshot().Sub(before)
			b.ReportMetric(float64(cpuTime()-cpu)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
			b.ReportMetric(float64(kv.Gets)/float64(b.N), "kv-gets/op")
			b.ReportMetric(float64(kv.Puts)/float64(b.N), "kv-puts/op")
		})
	}
}
