package e2e

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paylastic/edge/core/bank/sandbox"
	"github.com/paylastic/edge/wasm/hosttest"
)

// The tests here are the observations of exactly-once under concurrency,
// on the compiled guest, each request served by another location whose KV
// sees the others' writes a minute late (as Workers KV may): parallel
// duplicates of one event must change the check once and tell the cashier
// once, whoever wins.

// payUnseen has the buyer pay the check at link with each card in turn
// without ever coming back to our result page, the bank's callbacks caught
// and not delivered: the product has heard nothing of any of it. It returns
// the callbacks in the order the bank sent them.
func payUnseen(t *testing.T, s *shop, link string, cards ...string) []bankCallback {
	t.Helper()
	tp := tapCallbacks(s.env)
	undo := s.env.Outbound.DropPath("/bank/sandbox/callback")
	defer undo()
	for i, card := range cards {
		b := s.buyer().StopAtRedirects()
		b.Loc = fmt.Sprintf("buyer-%d", i)
		start := b.Submit(b.Get(link), nil)
		if start.Status != http.StatusSeeOther {
			t.Fatalf("start %d = %d, want 303 to the bank:\n%s", i, start.Status, start.Body)
		}
		bankPage := b.Get(start.Header.Get("Location"))
		if done := b.Submit(bankPage, sandboxCard(card)); done.Status != http.StatusSeeOther {
			t.Fatalf("card form %d = %d, want 303", i, done.Status)
		}
	}
	cbs := tp.all()
	if len(cbs) != len(cards) {
		t.Fatalf("the sandbox sent %d callbacks, want %d", len(cbs), len(cards))
	}
	return cbs
}

// deliverAll posts each callback from its own location, all at once, and
// retries one that answers 5xx as the bank would; every one must end 200.
func deliverAll(t *testing.T, s *shop, cbs []bankCallback) {
	t.Helper()
	var wg sync.WaitGroup
	codes := make([]int, len(cbs))
	for i, cb := range cbs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for try := 0; try < 5; try++ {
				req, _ := http.NewRequest("POST", s.env.URL+"/bank/sandbox/callback", bytes.NewReader(cb.body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set(sandbox.SignatureHeader, cb.sig)
				req.Header.Set("X-Test-Location", fmt.Sprintf("isolate-%d", i))
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					codes[i] = -1
					return
				}
				resp.Body.Close()
				if codes[i] = resp.StatusCode; codes[i] < 500 {
					return
				}
				time.Sleep(20 * time.Millisecond)
			}
		}()
	}
	wg.Wait()
	for i, c := range codes {
		if c != http.StatusOK {
			t.Errorf("callback %d answered %d, want 200", i, c)
		}
	}
}

// TestParallelCallbacksTellOnce: 20 identical signed callbacks of a paid
// payment at once, from 20 locations → the check is paid, the cashier told
// once.
func TestParallelCallbacksTellOnce(t *testing.T) {
	s := newShop(t, hosttest.Options{Lag: time.Minute})
	link, _ := s.newCheck("12,50")
	s.env.Clock.Advance(time.Minute + time.Second) // the invoice is everywhere
	paid := payUnseen(t, s, link, sbCardPaid)[0]
	var all []bankCallback
	for range 20 {
		all = append(all, paid)
	}
	deliverAll(t, s, all)
	s.wantTold("Оплачено")
	if st := checkState(t, s.env, onlyCheck(t, s)); st.Status != "paid" {
		t.Errorf("status %s, want paid", st.Status)
	}
}

// TestParallelSuccessAndOlderFailures: 10 copies of a payment's success and
// 10 of the earlier attempt's failure, all at once → paid, «Оплачено» once,
// and a failure notice, if any, only before it (never after paid).
func TestParallelSuccessAndOlderFailures(t *testing.T) {
	s := newShop(t, hosttest.Options{Lag: time.Minute})
	link, _ := s.newCheck("12,50")
	s.env.Clock.Advance(time.Minute + time.Second)
	cbs := payUnseen(t, s, link, sbCardDeclined, sbCardPaid)
	failed, paid := cbs[0], cbs[1]
	var all []bankCallback
	for range 10 {
		all = append(all, paid, failed)
	}
	deliverAll(t, s, all)
	wantPaidOnce(t, s.told(), 0)
	if st := checkState(t, s.env, onlyCheck(t, s)); st.Status != "paid" {
		t.Errorf("status %s, want paid", st.Status)
	}
}

// TestPaidCheckNotPayableElsewhere: a check paid at one location cannot be
// paid again a second later at another, whose KV has not seen anything yet.
func TestPaidCheckNotPayableElsewhere(t *testing.T) {
	s := newShop(t, hosttest.Options{Lag: time.Minute})
	link, _ := s.newCheck("12,50")
	s.env.Clock.Advance(time.Minute + time.Second)
	far := s.buyer()
	far.Loc = "far"
	res := far.Submit(far.Submit(far.Get(link), nil), sandboxCard(sbCardPaid))
	wantSays(t, res, "Оплату прийнято")
	s.env.Clock.Advance(time.Second)
	third := s.buyer()
	third.Loc = "third"
	pg := third.Get(link)
	if strings.Contains(pg.Body, ">Оплатити<") {
		t.Errorf("the paid check's page at another location offers to pay:\n%s", pg.Body)
	}
	wantSays(t, pg, "Чек оплачено")
	// the form of a page opened before the payment, posted now
	again := far.Post(link+"/pay", nil)
	if strings.Contains(again.URL, "/sandbox/") || again.Status == http.StatusSeeOther {
		t.Errorf("paying the paid check again: %d at %s, want it refused on our page", again.Status, again.URL)
	}
	s.wantTold("Оплачено")
}

// onlyCheck is the id of the shop's one check.
func onlyCheck(t *testing.T, s *shop) string {
	t.Helper()
	ids := checkIDs(t, s.env)
	if len(ids) != 1 {
		t.Fatalf("%d checks, want 1", len(ids))
	}
	return ids[0]
}

// TestTelegramDuplicatesAnsweredOnce: 20 copies of one amount update at
// once (same update_id, same message_id: Telegram redelivering while the
// first is still being handled) make one check and one picture; a message
// that is not an amount (the activation code, the «Створити чек» button,
// «abc»), delivered again afterwards, is not answered again.
func TestTelegramDuplicatesAnsweredOnce(t *testing.T) {
	e := startTelegram(t)
	code := e.newMerchant("Кавʼярня Ранок")
	u := e.user(4242, "uk")

	activation := u.message(code)
	u.send(activation)
	for _, upd := range []string{activation, u.message("Створити чек"), u.message("abc")} {
		before := len(e.tg.Messages(u.id))
		if upd != activation {
			u.send(upd)
			before = len(e.tg.Messages(u.id))
		}
		for range 2 {
			if st := e.deliver(tgSecret, upd); st != 200 {
				t.Errorf("redelivery answered %d, want 200", st)
			}
		}
		if got := e.tg.Messages(u.id)[before:]; len(got) != 0 {
			t.Errorf("redelivered %.60s… answered again: %q", upd, got[0].Plain)
		}
	}

	upd := u.message("12,50")
	var wg sync.WaitGroup
	codes := make([]int, 20)
	for i := range codes {
		wg.Add(1)
		go func() { defer wg.Done(); codes[i] = e.deliver(tgSecret, upd) }()
	}
	wg.Wait()
	// A copy that found the first still running is refused with 5xx so
	// Telegram delivers it again later; every copy ends answered 200.
	for i, c := range codes {
		for try := 0; c >= 500 && try < 3; try++ {
			e.Clock.Advance(time.Second)
			c = e.deliver(tgSecret, upd)
		}
		if c != 200 {
			t.Errorf("copy %d answered %d, want 200 (at once or on redelivery)", i, c)
		}
	}
	if n := e.okCalls("sendPhoto"); n != 1 {
		t.Errorf("%d pictures sent for 20 copies of one update, want 1", n)
	}
	if ids := e.checkIDs(); len(ids) != 1 {
		t.Errorf("%d checks for 20 copies of one update, want 1", len(ids))
	}
}

// TestViberDuplicatesAnsweredOnce: 20 copies of one amount message at once
// (the same message_token) make one check and one picture.
func TestViberDuplicatesAnsweredOnce(t *testing.T) {
	e := startViber(t)
	code := e.newMerchant("Кавʼярня Ранок")
	u := e.user("vb-user-1", "uk")
	u.say(code)
	body := u.message("12,50")
	var wg sync.WaitGroup
	codes := make([]int, 20)
	for i := range codes {
		wg.Add(1)
		go func() { defer wg.Done(); codes[i], _ = e.deliver(body) }()
	}
	wg.Wait()
	for i, c := range codes {
		for try := 0; c >= 500 && try < 3; try++ {
			e.Clock.Advance(time.Second)
			c, _ = e.deliver(body)
		}
		if c != 200 {
			t.Errorf("copy %d answered %d, want 200 (at once or on redelivery)", i, c)
		}
	}
	if n := e.pictures(u.id); n != 1 {
		t.Errorf("%d pictures sent for 20 copies of one message, want 1", n)
	}
	if ids := e.checkIDs(); len(ids) != 1 {
		t.Errorf("%d checks for 20 copies of one message, want 1", len(ids))
	}
}
