package pay

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/paylastic/edge/core/bank/sandbox"
	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/checks"
	"github.com/paylastic/edge/core/kv"
)

const (
	goodCard     = "4242 4242 4242 4242"
	declinedCard = "4000 0000 0000 0002"
)

func wantIn(t *testing.T, p page, parts ...string) {
	t.Helper()
	for _, s := range parts {
		if !strings.Contains(p.Body, s) {
			t.Errorf("%s (%d) does not say %q:\n%s", p.URL, p.Status, s, p.Body)
		}
	}
}

func wantNotes(t *testing.T, w *world, want ...string) {
	t.Helper()
	if got := w.notes.list(); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("operator was told %q, want %q", got, want)
	}
}

// TestBuyerPays follows the buyer from the link to the result page, with
// the success card and with the declined one, then the same link paid.
func TestBuyerPays(t *testing.T) {
	w := newWorld(t)
	ref, chk := w.newCheck("12,50")
	b := w.buyer()
	pg := b.Get("/p/" + ref)
	wantIn(t, pg, "12,50 грн", "Кавʼярня «Ранок»", "на власному телефоні", ">Оплатити<")

	bankPage := b.Submit(pg, nil)
	if !strings.Contains(bankPage.URL, "/sandbox/pay/") || bankPage.Status != 200 {
		t.Fatalf("pay took the buyer to %s (%d), want the sandbox's page", bankPage.URL, bankPage.Status)
	}
	wantIn(t, bankPage, "Хочу оплатити", "12,50 грн", "Кавʼярня «Ранок»")

	res := b.Submit(bankPage, card(declinedCard))
	if !strings.HasSuffix(res.URL, "/p/"+ref+"/result") {
		t.Fatalf("after the bank the buyer is at %s, want the result page", res.URL)
	}
	wantIn(t, res, "Оплата не вдалася", "Недостатньо коштів", ">Оплатити<")
	wantNotes(t, w, "failed: Недостатньо коштів")

	bankPage = b.Submit(res, nil) // try again from the result page
	wantIn(t, bankPage, "Хочу оплатити")
	res = b.Submit(bankPage, card(goodCard))
	wantIn(t, res, "Оплату прийнято", "12,50 грн")
	if strings.Contains(res.Body, "http-equiv=\"refresh\"") {
		t.Error("a final result page refreshes itself")
	}
	wantNotes(t, w, "failed: Недостатньо коштів", "paid")

	st := w.state(chk.Ref())
	if st.Status != check.Paid || len(st.Attempts) != 2 {
		t.Fatalf("state = %s with %d attempts, want paid with 2", st.Status, len(st.Attempts))
	}
	for _, a := range st.Attempts {
		if a.Provider != sandbox.Name || a.ProviderRef == "" {
			t.Errorf("attempt %+v does not name the bank's payment", a)
		}
	}
	pg = b.Get("/p/" + ref)
	wantIn(t, pg, "Чек оплачено")
	if strings.Contains(pg.Body, "<form") {
		t.Error("the page of a paid check offers to pay")
	}
}

// TestWrites counts the product's own writes for a paid check: in KV the
// check (once); in the consistent store its state, four times: the claim
// to start the payment, the attempt, the payment with its notice's claim,
// the notice delivered. The sandbox bank's records are the bank's.
func TestWrites(t *testing.T) {
	w := newWorld(t)
	ref, _ := w.newCheck("12,50")
	b := w.buyer()
	b.Submit(b.Submit(b.Get("/p/"+ref), nil), card(goodCard))
	wantNotes(t, w, "paid")
	if i, s, st, sb := w.flaky.writes("i"), w.flaky.writes("s"), w.flaky.writes("state s"), w.flaky.writes("sb"); i != 1 || s != 0 || st != 4 || sb != 1 {
		t.Errorf("writes: KV check %d, KV state %d, state %d, sandbox bank %d; want 1, 0, 4, 1", i, s, st, sb)
	}
}

// TestStartReadsOnce: the start of a payment reads the check's state once
// (with its merchant, at once) and claims the start from what it read: on
// the Worker each read is a D1 round trip. It read the state a second time
// inside the claim. A stale read still only costs that read (the
// conditional write fails, the state is read again: TestOpenedTwice).
func TestStartReadsOnce(t *testing.T) {
	w := newWorld(t)
	ref, _ := w.newCheck("12,50")
	b := w.buyer()
	pg := b.Get("/p/" + ref)
	before := w.states.Gets()
	bankPage := b.Submit(pg, nil)
	if !strings.Contains(bankPage.URL, "/sandbox/pay/") {
		t.Fatalf("pay took the buyer to %s (%d)", bankPage.URL, bankPage.Status)
	}
	// (the sandbox's card page reads its own records, in KV)
	if got := w.states.Gets() - before; got != 2 {
		t.Errorf("the start read the consistent store %d times, want 2 (the state and the merchant, at once)", got)
	}
}

// TestOpenedTwice: two tabs, one payment at the bank, paid once.
func TestOpenedTwice(t *testing.T) {
	w := newWorld(t)
	ref, chk := w.newCheck("12,50")
	tab1, tab2 := w.buyer(), w.buyer()
	page1, page2 := tab1.Get("/p/"+ref), tab2.Get("/p/"+ref)
	bank1 := tab1.Submit(page1, nil)
	bank2 := tab2.Submit(page2, nil)
	if bank1.URL != bank2.URL {
		t.Fatalf("two tabs got two payments:\n%s\n%s", bank1.URL, bank2.URL)
	}
	if got := w.flaky.writes("state s"); got != 2 {
		t.Errorf("state writes = %d, want 2 (the claim and the attempt; the second tab resumes)", got)
	}
	tab1.Submit(bank1, card(goodCard))
	res := tab2.Submit(bank2, card(goodCard))
	wantIn(t, res, "Оплату прийнято")
	wantNotes(t, w, "paid")
	if got := w.flaky.writes("sb"); got != 1 {
		t.Errorf("the bank recorded %d payments, want 1", got)
	}
	if st := w.state(chk.Ref()); len(st.Attempts) != 1 {
		t.Errorf("attempts = %d, want 1", len(st.Attempts))
	}
	p := tab2.Post("/p/"+ref+"/pay", nil)
	if p.Status != http.StatusConflict || strings.Contains(p.URL, "/sandbox/") {
		t.Errorf("paying a paid check: %d at %s, want 409 on our page", p.Status, p.URL)
	}
}

// TestCardForm: numbers failing Luhn and other mistakes are refused on the
// form; nothing is recorded or sent.
func TestCardForm(t *testing.T) {
	tests := []struct {
		name string
		fill map[string]string
		want string
	}{
		{"luhn", card("4242 4242 4242 4241"), "Номер картки недійсний"},
		{"letters", card("4242 4242 4242 424x"), "Номер картки недійсний"},
		{"short", card("4242"), "Номер картки недійсний"},
		{"empty", map[string]string{}, "Номер картки недійсний"},
		{"expiry format", map[string]string{"card": goodCard, "exp": "13/30", "cvv": "123"}, "ММ/РР"},
		{"card expired", map[string]string{"card": goodCard, "exp": "10/26", "cvv": "123"}, "Термін дії картки минув"},
		{"cvv", map[string]string{"card": goodCard, "exp": "12/30", "cvv": "12"}, "CVV — це 3 цифри"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			ref, chk := w.newCheck("12,50")
			b := w.buyer()
			bankPage := b.Submit(b.Get("/p/"+ref), nil)
			p := b.Submit(bankPage, tt.fill)
			if p.Status != http.StatusUnprocessableEntity {
				t.Errorf("status = %d, want 422", p.Status)
			}
			wantIn(t, p, tt.want, "Хочу оплатити")
			if n := tt.fill["card"]; n != "" && strings.Contains(p.Body, `value="`+n) || strings.Contains(p.Body, "4241") || strings.Contains(p.Body, `value="123"`) {
				t.Error("the form echoes the card number or the CVV")
			}
			if got := w.flaky.writes("sb"); got != 0 {
				t.Errorf("the bank recorded %d payments", got)
			}
			wantNotes(t, w)
			if st := w.state(chk.Ref()); st.Attempts[0].Status != check.AttemptPending {
				t.Errorf("attempt = %s, want pending", st.Attempts[0].Status)
			}
		})
	}
}

// TestLostCallback: the bank's callback never arrives; the result page
// asks the bank, or, if the buyer never comes back, the scheduled pass does.
func TestLostCallback(t *testing.T) {
	t.Run("result page asks", func(t *testing.T) {
		w := newWorld(t)
		ref, chk := w.newCheck("12,50")
		w.out.drop.Store(true)
		b := w.buyer()
		res := b.Submit(b.Submit(b.Get("/p/"+ref), nil), card(goodCard))
		wantIn(t, res, "Оплату прийнято")
		wantNotes(t, w, "paid")
		if st := w.state(chk.Ref()); st.Status != check.Paid {
			t.Errorf("status = %s, want paid", st.Status)
		}
	})
	t.Run("scheduled pass asks", func(t *testing.T) {
		w := newWorld(t)
		ref, chk := w.newCheck("12,50")
		w.out.drop.Store(true)
		b := w.buyer().StopAtRedirects()
		bankPage := b.Get(b.Submit(b.Get("/p/"+ref), nil).Header.Get("Location"))
		p := b.Submit(bankPage, card(goodCard)) // the buyer closes the tab here
		if p.Status != http.StatusSeeOther {
			t.Fatalf("card form = %d, want 303", p.Status)
		}
		wantNotes(t, w)
		w.clock.Advance(time.Minute)
		rep, err := w.checks.Sweep(context.Background(), w.clock.Now())
		if err != nil || rep.Reconciled != 0 {
			t.Fatalf("sweep after 1 min: %+v, %v; want nothing reconciled yet", rep, err)
		}
		w.clock.Advance(checks.ReconcileAfter)
		rep, err = w.checks.Sweep(context.Background(), w.clock.Now())
		if err != nil || rep.Reconciled != 1 {
			t.Fatalf("sweep after 3 min: %+v, %v; want 1 reconciled", rep, err)
		}
		wantNotes(t, w, "paid")
		if st := w.state(chk.Ref()); st.Status != check.Paid {
			t.Errorf("status = %s, want paid", st.Status)
		}
		if rep, _ := w.checks.Sweep(context.Background(), w.clock.Now()); rep.Reconciled != 0 {
			t.Errorf("second sweep reconciled again: %+v", rep)
		}
		wantNotes(t, w, "paid")
	})
	t.Run("abandoned page expires", func(t *testing.T) {
		w := newWorld(t)
		ref, chk := w.newCheck("12,50")
		b := w.buyer()
		b.Submit(b.Get("/p/"+ref), nil) // the buyer never pays
		w.clock.Advance(40 * time.Minute)
		if _, err := w.checks.Sweep(context.Background(), w.clock.Now()); err != nil {
			t.Fatal(err)
		}
		st := w.state(chk.Ref())
		if st.Status != check.Expired || st.Attempts[0].Status != check.AttemptExpired {
			t.Errorf("state %s, attempt %s; want expired, expired", st.Status, st.Attempts[0].Status)
		}
		wantNotes(t, w, "expired")
	})
}

// TestNotPayable: an expired or cancelled check cannot be paid, from its
// page or by posting to the start route; nothing is started or written.
func TestNotPayable(t *testing.T) {
	tests := []struct {
		name  string
		setup func(w *world, chk check.Check)
		want  string
	}{
		{"expired by time", func(w *world, _ check.Check) { w.clock.Advance(31 * time.Minute) }, "Термін дії чека минув"},
		{"expiring this minute", func(w *world, _ check.Check) { w.clock.Advance(29*time.Minute + 30*time.Second) }, "Термін дії чека минув"},
		{"expired", func(w *world, chk check.Check) {
			w.clock.Advance(31 * time.Minute)
			if _, err := w.checks.Sweep(context.Background(), w.clock.Now()); err != nil {
				w.t.Fatal(err)
			}
		}, "Термін дії чека минув"},
		{"cancelled", func(w *world, chk check.Check) {
			op := checksOperator(w)
			if _, err := w.checks.Cancel(context.Background(), op, chk.Ref()); err != nil {
				w.t.Fatal(err)
			}
		}, "Чек скасовано"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			ref, chk := w.newCheck("12,50")
			tt.setup(w, chk)
			before := w.kv.Puts.Load()
			b := w.buyer()
			if tt.name != "expiring this minute" {
				pg := b.Get("/p/" + ref)
				wantIn(t, pg, tt.want)
				if strings.Contains(pg.Body, "<form") {
					t.Error("the page offers to pay")
				}
			}
			p := b.Post("/p/"+ref+"/pay", url.Values{"lang": {"uk"}})
			if p.Status != http.StatusConflict || strings.Contains(p.URL, "/sandbox/") {
				t.Errorf("POST pay = %d at %s, want 409 on our page", p.Status, p.URL)
			}
			wantIn(t, p, tt.want)
			if got := w.kv.Puts.Load() - before; got != 0 {
				t.Errorf("refusing wrote %d times to KV", got)
			}
		})
	}
}

// TestCancelClosesBankPage: a check cancelled while its bank page is open
// cannot be paid there.
func TestCancelClosesBankPage(t *testing.T) {
	w := newWorld(t)
	ref, chk := w.newCheck("12,50")
	b := w.buyer()
	bankPage := b.Submit(b.Get("/p/"+ref), nil)
	if _, err := w.checks.Cancel(context.Background(), checksOperator(w), chk.Ref()); err != nil {
		t.Fatal(err)
	}
	res := b.Submit(bankPage, card(goodCard))
	wantIn(t, res, "Чек скасовано")
	if st := w.state(chk.Ref()); st.Status != check.Cancelled {
		t.Errorf("status = %s, want cancelled", st.Status)
	}
	wantNotes(t, w)
}

// callbackFor signs a sandbox callback as the bank would.
func (w *world) callbackFor(ref, payment, status string, amount int64, sent time.Time, modified time.Time) (body []byte, sig string) {
	body, _ = json.Marshal(map[string]any{
		"event_id": "ev-" + status + sent.Format("150405"), "payment_id": payment, "order_id": ref, "status": status,
		"reason": map[bool]string{true: "Недостатньо коштів"}[status == "failure"], "amount": amount, "currency": "UAH",
		"modified": modified, "timestamp": sent.Unix(),
	})
	return body, sandbox.Sign(sandbox.CallbackKey(w.checks.Signer), body)
}

func (w *world) postCallback(provider string, body []byte, sig string) int {
	w.t.Helper()
	req, _ := http.NewRequest("POST", w.srv.URL+"/bank/"+provider+"/callback", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(sandbox.SignatureHeader, sig)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestCallbacks: replays, forgeries, unknown checks and late events change
// nothing and notify nobody twice.
func TestCallbacks(t *testing.T) {
	w := newWorld(t)
	ref, chk := w.newCheck("12,50")
	now := w.clock.Now()
	failed, failedSig := w.callbackFor(ref, "pay-a", "failure", 1250, now, now.Add(time.Second))
	paid, paidSig := w.callbackFor(ref, "pay-b", "success", 1250, now, now.Add(2*time.Second))
	other, _ := w.newCheck("99")
	steps := []struct {
		name     string
		body     []byte
		sig      string
		provider string
		want     int
		status   check.Status
		notes    []string
	}{
		{"forged signature", paid, strings.Repeat("0", 64), "sandbox", 401, check.Open, nil},
		{"no signature", paid, "", "sandbox", 401, check.Open, nil},
		{"signature of another body", failed, paidSig, "sandbox", 401, check.Open, nil},
		{"unknown provider", paid, paidSig, "nobank", 404, check.Open, nil},
		{"paid", paid, paidSig, "sandbox", 200, check.Paid, []string{"paid"}},
		{"replayed", paid, paidSig, "sandbox", 200, check.Paid, []string{"paid"}},
		{"replayed again", paid, paidSig, "sandbox", 200, check.Paid, []string{"paid"}},
		{"replayed thrice", paid, paidSig, "sandbox", 200, check.Paid, []string{"paid"}},
		{"old failure after paid", failed, failedSig, "sandbox", 200, check.Paid, []string{"paid"}},
	}
	for _, s := range steps {
		if got := w.postCallback(s.provider, s.body, s.sig); got != s.want {
			t.Errorf("%s: callback = %d, want %d", s.name, got, s.want)
		}
		if st := w.state(chk.Ref()); st.Status != s.status {
			t.Errorf("%s: status = %s, want %s", s.name, st.Status, s.status)
		}
		wantNotes(t, w, s.notes...)
	}
	var writesBefore = w.kv.Puts.Load()
	for _, tt := range []struct {
		name string
		body []byte
		want int
	}{
		{"unknown check", mustCallback(w, "AQforged", "success", 1250, w.clock.Now()), 404},
		{"amount not the check's", mustCallback(w, other, "success", 1250, w.clock.Now()), 400},
		{"stale", mustCallback(w, other, "success", 9900, w.clock.Now().Add(-11*time.Minute)), 401},
		{"from the future", mustCallback(w, other, "success", 9900, w.clock.Now().Add(6*time.Minute)), 401},
		{"bad status", mustCallback(w, other, "paid", 9900, w.clock.Now()), 400},
		{"not JSON", []byte("{"), 400},
	} {
		if got := w.postCallback("sandbox", tt.body, sandbox.Sign(sandbox.CallbackKey(w.checks.Signer), tt.body)); got != tt.want {
			t.Errorf("%s: callback = %d, want %d", tt.name, got, tt.want)
		}
	}
	if got := w.kv.Puts.Load() - writesBefore; got != 0 {
		t.Errorf("refused callbacks wrote %d times", got)
	}
	wantNotes(t, w, "paid")
}

func mustCallback(w *world, ref, status string, amount int64, sent time.Time) []byte {
	b, _ := w.callbackFor(ref, "pay-x", status, amount, sent, sent)
	return b
}

// TestCallbackStorageDown: the bank is answered 503 so that it retries.
func TestCallbackStorageDown(t *testing.T) {
	w := newWorld(t)
	ref, chk := w.newCheck("12,50")
	now := w.clock.Now()
	body, sig := w.callbackFor(ref, "pay-a", "success", 1250, now, now)
	w.flaky.down.Writes.Store(true)
	if got := w.postCallback("sandbox", body, sig); got != http.StatusServiceUnavailable {
		t.Errorf("callback with storage down = %d, want 503", got)
	}
	w.flaky.down.Writes.Store(false)
	if got := w.postCallback("sandbox", body, sig); got != http.StatusOK {
		t.Errorf("retried callback = %d, want 200", got)
	}
	if st := w.state(chk.Ref()); st.Status != check.Paid {
		t.Errorf("status = %s, want paid", st.Status)
	}
	// the notice is claimed in the write that records the payment, and
	// sent after it: the failed write sent nothing, the retry sends it
	// once, and a duplicate tells nobody
	if got := w.postCallback("sandbox", body, sig); got != http.StatusOK {
		t.Errorf("duplicate callback = %d, want 200", got)
	}
	wantNotes(t, w, "paid")
}

// TestStartStorageDown: the attempt cannot be recorded, so the buyer is not
// sent to the bank; trying again later reaches the same payment.
func TestStartStorageDown(t *testing.T) {
	w := newWorld(t)
	ref, _ := w.newCheck("12,50")
	b := w.buyer().StopAtRedirects()
	pg := b.Get("/p/" + ref)
	w.flaky.down.Writes.Store(true)
	if p := b.Submit(pg, nil); p.Status != http.StatusServiceUnavailable {
		t.Errorf("pay with storage down = %d, want 503", p.Status)
	}
	w.flaky.down.Writes.Store(false)
	p := b.Submit(pg, nil)
	if p.Status != http.StatusSeeOther || !strings.Contains(p.Header.Get("Location"), "/sandbox/pay/") {
		t.Errorf("pay = %d to %q, want 303 to the sandbox", p.Status, p.Header.Get("Location"))
	}
}

func TestQR(t *testing.T) {
	w := newWorld(t)
	ref, _ := w.newCheck("12,50")
	b := w.buyer()
	before := w.kv.Snapshot()
	p := b.Get("/p/" + ref + "/qr.png")
	if p.Status != 200 || p.Header.Get("Content-Type") != "image/png" || !strings.HasPrefix(p.Body, "\x89PNG") {
		t.Fatalf("qr = %d %s", p.Status, p.Header.Get("Content-Type"))
	}
	if got, want := p.Header.Get("Cache-Control"), "public, max-age=86400, immutable"; got != want {
		t.Errorf("Cache-Control = %q, want %q", got, want)
	}
	if p := b.Get("/p/forged/qr.png"); p.Status != 404 {
		t.Errorf("qr of a forged link = %d, want 404", p.Status)
	}
	if got := w.kv.Snapshot().Sub(before); got != (kv.Counts{}) {
		t.Errorf("qr used KV: %+v", got)
	}
}

func TestSecurityHeaders(t *testing.T) {
	w := newWorld(t)
	ref, _ := w.newCheck("12,50")
	p := w.buyer().Get("/p/" + ref)
	for h, want := range map[string]string{"X-Frame-Options": "DENY", "Cache-Control": "no-store", "Content-Type": "text/html; charset=utf-8", "Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff"} {
		if got := p.Header.Get(h); got != want {
			t.Errorf("%s = %q, want %q", h, got, want)
		}
	}
	if csp := p.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("CSP = %q", csp)
	}
	for _, bad := range []string{"<script", "javascript:", "onclick", "http://", "https://"} {
		if strings.Contains(p.Body, bad) {
			t.Errorf("page contains %q", bad)
		}
	}
}

func TestLanguage(t *testing.T) {
	tests := []struct{ header, query, want string }{
		{"", "", "uk"},
		{"en-US,en;q=0.9", "", "en"},
		{"uk-UA,uk;q=0.9,en;q=0.8", "", "uk"},
		{"ru-RU,ru;q=0.9", "", "uk"},
		{"ru-RU,en;q=0.5", "", "en"},
		{"de, en;q=0.3, uk;q=0.7", "", "uk"},
		{"en;q=0", "", "uk"},
		{"en-US", "uk", "uk"},
		{"", "en", "en"},
		{"", "fr", "uk"},
	}
	w := newWorld(t)
	ref, _ := w.newCheck("12,50")
	for _, tt := range tests {
		b := w.buyer()
		b.Lang = tt.header
		path := "/p/" + ref
		if tt.query != "" {
			path += "?lang=" + tt.query
		}
		if got := b.Get(path).Header.Get("Content-Language"); got != tt.want {
			t.Errorf("Accept-Language %q, ?lang=%q: got %s, want %s", tt.header, tt.query, got, tt.want)
		}
	}
}
