package e2e

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/paylastic/edge/core/bank/monobank/sign"
	"github.com/paylastic/edge/core/checks"
	"github.com/paylastic/edge/wasm/hosttest"
)

// TestMonobankPays: a merchant switched from the sandbox to monobank through
// the admin API takes the next payment at monobank, without a restart: a
// declined card, then another invoice for the same check paid. The buyer
// sees each outcome, the operator is told once about each.
func TestMonobankPays(t *testing.T) {
	s := newShop(t, hosttest.Options{}, fakeAcquirers)
	resp := s.switchFromSandbox(acqMonoCreds)
	if strings.Contains(resp, acqMonoToken) || !strings.Contains(resp, "…(44 chars)") {
		t.Errorf("the switch answers %s: want the token masked", resp)
	}
	s.wantMasked("monobank", map[string]string{"token": "…(44 chars)"}, acqMonoToken)

	link, _ := s.newCheck("12,50")
	b := s.buyer()
	bankPage := s.toBank(b, link)
	if !strings.HasPrefix(bankPage.URL, s.monoURL+"/pay/") {
		t.Fatalf("after the switch «Оплатити» led to %s, want monobank's page", bankPage.URL)
	}
	wantSays(t, bankPage, "12,50 грн", "Оплата: Кавʼярня «Ранок»")

	res := s.monoPay(b, bankPage, acqCardDeclined)
	if res.URL != link+"/result" {
		t.Errorf("monobank returned the buyer to %s, want %s/result", res.URL, link)
	}
	wantSays(t, res, "Оплата не вдалася", "недостатньо коштів", ">Оплатити<")
	s.wantTold("недостатньо коштів")

	res = s.monoPay(b, s.toBank(b, link+"/result"), acqCardPaid)
	wantSays(t, res, "Оплату прийнято", "12,50 грн")
	s.wantTold("недостатньо коштів", "Оплачено")
	wantSays(t, b.Get(link), "Чек оплачено")

	invs := s.monoInvoices(link)
	if len(invs) != 2 || invs[0].Status != "failure" || invs[1].Status != "success" {
		t.Fatalf("monobank's invoices of the check: %+v", invs)
	}
	for _, inv := range invs {
		if inv.Amount != 1250 || inv.Ccy != 980 || inv.RedirectURL != link+"/result" ||
			!strings.HasPrefix(inv.WebHookURL, s.env.URL+"/bank/monobank/callback?ref=") {
			t.Errorf("invoice %s: amount %d ccy %d redirect %s webhook %s", inv.ID, inv.Amount, inv.Ccy, inv.RedirectURL, inv.WebHookURL)
		}
		if v := inv.Validity; v <= 0 || v > checks.DefaultTTL {
			t.Errorf("invoice %s validity %v, want the check's remaining life", inv.ID, v)
		}
	}
	for _, wh := range s.mono.Webhooks() {
		if !wh.Delivered() {
			t.Errorf("webhook %s %s answered %d %s", wh.InvoiceID, wh.Status, wh.StatusCode, wh.Err)
		}
	}
	if n := s.mono.PubkeyRequests(); n != 1 {
		t.Errorf("the public key was fetched %d times, want once (then cached)", n)
	}
}

// TestMonobankExpired: nobody pays; monobank sends no webhook for expired,
// the scheduled pass finds the invoice expired and the check expires.
func TestMonobankExpired(t *testing.T) {
	s := newShop(t, hosttest.Options{}, fakeAcquirers)
	s.switchTo(acqMonoCreds)
	link, _ := s.newCheck("12,50")
	s.toBank(s.buyer(), link)
	needScheduledWiring(t)
	s.env.Clock.Advance(checks.DefaultTTL + time.Second)
	s.scheduled()
	if invs := s.monoInvoices(link); len(invs) != 1 || invs[0].Status != "expired" {
		t.Fatalf("monobank's invoices: %+v", invs)
	}
	wantSays(t, s.buyer().Get(link), "Термін дії чека минув")
	s.wantTold("Час вийшов")
}

// TestMonobankStaleAndDuplicateWebhooks: a late "processing" webhook after
// "success" and a duplicate "success" change nothing, write nothing and tell
// nobody again.
func TestMonobankStaleAndDuplicateWebhooks(t *testing.T) {
	s := newShop(t, hosttest.Options{}, fakeAcquirers)
	s.switchTo(acqMonoCreds)
	link, _ := s.newCheck("12,50")
	b := s.buyer()
	s.env.Clock.Advance(time.Second) // processing and success get distinct modifiedDates
	wantSays(t, s.monoPay(b, s.toBank(b, link), acqCardPaid), "Оплату прийнято")
	s.wantTold("Оплачено")
	id := s.monoInvoices(link)[0].ID

	at := s.env.KV.Snapshot()
	if err := s.mono.SendStale(id, "processing"); err != nil {
		t.Fatal(err)
	}
	if err := s.mono.Resend(id); err != nil {
		t.Fatal(err)
	}
	s.wantResendsIgnored(atMonobank, at, b, link, "Оплачено")
}

// TestMonobankForgedWebhook: webhooks that monobank did not sign, or that
// it signed for another check, are refused and change nothing: not the
// check, not KV, not the operator.
func TestMonobankForgedWebhook(t *testing.T) {
	s := newShop(t, hosttest.Options{}, fakeAcquirers)
	s.switchTo(acqMonoCreds)
	link, _ := s.newCheck("12,50")
	other, _ := s.newCheck("99,00")
	b := s.buyer()
	wantSays(t, s.monoPay(b, s.toBank(b, link), acqCardDeclined), "Оплата не вдалася")
	s.wantTold("недостатньо коштів")
	whs := s.mono.Webhooks()
	failed := whs[len(whs)-1]
	if failed.Status != "failure" || !failed.Delivered() {
		t.Fatalf("last webhook: %+v", failed)
	}
	// the bank's body, now claiming success, signed by someone else
	var body map[string]any
	json.Unmarshal(failed.Body, &body)
	body["status"] = "success"
	delete(body, "failureReason")
	forged, _ := json.MarshalIndent(body, "", "  ")
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	forgedSig, _ := sign.Sign(key, forged)
	q := query(failed.URL)

	fetches := s.mono.PubkeyRequests()
	other404 := "?ref=AQ" + strings.Repeat("A", 80)
	otherQuery := query(other + "?ref=" + other[strings.LastIndexByte(other, '/')+1:])
	xSign := func(sig string) map[string]string { return map[string]string{"X-Sign": sig} }
	s.wantRefused("monobank", "application/json", []forgery{
		{"signed with another key", q, forged, xSign(forgedSig), 401},
		{"no X-Sign", q, forged, xSign(""), 401},
		{"tampered body, genuine X-Sign", q, bytes.Replace(failed.Body, []byte(`"failure"`), []byte(`"success"`), 1), xSign(failed.XSign), 401},
		{"for no check of ours", other404, forged, xSign(forgedSig), 401},
		{"genuine, for another check", otherQuery, failed.Body, xSign(failed.XSign), 400},
	}, b, link, other, "недостатньо коштів")
	if n := s.mono.PubkeyRequests() - fetches; n > 3 {
		t.Errorf("three forgeries fetched the public key %d times, want at most one each", n)
	}
}

// TestMonobankCancelRemovesInvoice: the operator cancels a check whose
// buyer is on monobank's page: the invoice is removed and cannot be paid.
func TestMonobankCancelRemovesInvoice(t *testing.T) {
	s := newShop(t, hosttest.Options{}, fakeAcquirers)
	s.switchTo(acqMonoCreds)
	link, msg := s.newCheck("12,50")
	b := s.buyer()
	bankPage := s.toBank(b, link)
	s.press(msg, inlineData(t, msg, "cancel:"))
	wantSays(t, b.Get(link), "Чек скасовано")
	invs := s.monoInvoices(link)
	if len(invs) != 1 || !invs[0].Removed {
		t.Fatalf("monobank's invoice after the cancel: %+v", invs)
	}
	if p := s.monoPay(b, bankPage, acqCardPaid); p.Status != http.StatusConflict {
		t.Errorf("paying the removed invoice: %d, want 409 at the bank", p.Status)
	}
	s.wantTold()
}
