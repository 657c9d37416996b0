package pay

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/paylastic/edge/core/bank"
	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/merchant"
)

// refusingBank is formBank whose bank refuses the merchant for good (a
// revoked token), as monobank answers 403.
type refusingBank struct{ formBank }

func (refusingBank) Start(context.Context, bank.Checkout) (bank.Payment, error) {
	return bank.Payment{}, errs.E(errs.Refused, "monobank refused the merchant's token")
}

// TestBankRefusesTheMerchant: a refusal for good is not "try again in a
// minute": the buyer is told card payment is not available here (no money
// taken), the cashier is told once per check however often it is pressed,
// and the admin finds the bank's words on the merchant.
func TestBankRefusesTheMerchant(t *testing.T) {
	w := newWorld(t)
	w.useBank("refusing", refusingBank{})
	ref, _ := w.newCheck("12,50")
	for i := 0; i < 3; i++ {
		rec := w.serve("POST", "/p/"+ref+"/pay", "uk")
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "Оплата карткою в цьому магазині зараз недоступна") {
			t.Fatalf("press %d = %d, want 422 saying card payment is not available:\n%s", i+1, rec.Code, rec.Body)
		}
		if strings.Contains(rec.Body.String(), "хвилину") {
			t.Errorf("press %d says try again in a minute", i+1)
		}
	}
	wantNotes(t, w, "bank_refused: monobank refused the merchant's token")
	m, err := w.checks.Merchants.Get(context.Background(), w.m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if m.BankError == nil || !strings.Contains(m.BankError.Message, "refused the merchant's token") {
		t.Errorf("merchant's bank error = %+v, want the bank's refusal", m.BankError)
	}
	// a second check is news again: its buyer cannot pay either
	ref2, _ := w.newCheck("20,00")
	w.serve("POST", "/p/"+ref2+"/pay", "uk")
	wantNotes(t, w, "bank_refused: monobank refused the merchant's token", "bank_refused: monobank refused the merchant's token")
}

// TestDisabledMerchantsLinks: a disabled merchant's unpaid check answers a
// clear page and cannot be paid; a paid one keeps its receipt.
func TestDisabledMerchantsLinks(t *testing.T) {
	w := newWorld(t)
	ref, _ := w.newCheck("12,50")
	if _, err := w.checks.Merchants.Update(context.Background(), w.m.ID, func(m *merchant.Merchant) error {
		m.Disabled = w.clock.Now()
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for _, method := range []string{"GET", "POST"} {
		path := "/p/" + ref
		if method == "POST" {
			path += "/pay"
		}
		rec := w.serve(method, path, "uk")
		if rec.Code != http.StatusGone || !strings.Contains(rec.Body.String(), "більше не приймає оплату") || strings.Contains(rec.Body.String(), ">Оплатити<") {
			t.Errorf("%s %s = %d, want 410 saying the shop takes no payments:\n%s", method, path, rec.Code, rec.Body)
		}
	}
}
