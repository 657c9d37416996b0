package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/paylastic/edge/wasm/hosttest"
)

// TestLiqPayKeyRegenerated: the merchant regenerates its LiqPay keys after
// setup. The buyer's checkout is refused by LiqPay (its invalid_signature
// page) and no order is made; back on our result page, LiqPay's status call
// refuses the keys too. That refusal is permanent: the result page must not
// tell the buyer to wait for a confirmation that can never come, nor to try
// again in a minute, and the check is not paid.
func TestLiqPayKeyRegenerated(t *testing.T) {
	s := newShop(t, hosttest.Options{}, fakeAcquirers)
	s.switchTo(acqLiqPayCreds)
	link, _ := s.newCheck("12,50")
	s.liq.SetKeys(acqLiqPublic, "regeneratedPrivateKeyLIQPAYLIQPAYLIQPAY77")
	b := s.buyer()
	redirect := s.toBank(b, link)
	wantSays(t, redirect, `name="data"`, `name="signature"`)
	checkout := b.Submit(redirect, nil)
	if checkout.Status != http.StatusBadRequest || !strings.Contains(checkout.Body, "invalid_signature") {
		t.Fatalf("LiqPay's checkout = %d, want its invalid signature page:\n%s", checkout.Status, checkout.Body)
	}
	if orders := s.liqOrders(link); len(orders) != 0 {
		t.Errorf("LiqPay took an order with the old key: %+v", orders)
	}
	pages := []bpage{b.Get(link + "/result"), b.Get(link + "/result")} // and «Перевірити ще раз»
	if st := checkState(t, s.env, onlyCheck(t, s)); st.Status == "paid" {
		t.Errorf("the check is %s, want not paid", st.Status)
	}
	for i, res := range pages {
		if res.Status == http.StatusOK || strings.Contains(res.Body, "Чекаємо підтвердження") || strings.Contains(res.Body, "хвилину") {
			t.Errorf("result page %d = %d, want a refusal, not «Чекаємо підтвердження» nor a minute's wait:\n%s", i+1, res.Status, res.Body)
		}
		wantSays(t, res, "недоступна")
	}
	// the cashier is told once, however often the buyer reloads
	s.wantTold("банк відмовив магазину")
	if st, body := s.admin("GET", "/admin/merchants/"+s.merchant, ""); st != 200 || !strings.Contains(body, `"bank_error"`) {
		t.Errorf("the admin's view of the merchant = %d %s, want its bank_error", st, body)
	}
}

// TestLiqPayWaitAccept: LiqPay has not verified the shop yet, so a paid
// order is wait_accept: the buyer's money is taken. The buyer sees the
// payment accepted with the card's ending, the cashier is told «Оплачено»
// once, the check is paid and the attempt keeps LiqPay's status.
func TestLiqPayWaitAccept(t *testing.T) {
	s := newShop(t, hosttest.Options{}, fakeAcquirers)
	s.switchTo(acqLiqPayCreds)
	s.liq.SetShopVerified(false)
	link, _ := s.newCheck("12,50")
	b := s.buyer()
	res := s.liqPay(b, s.toBank(b, link), acqCardPaid)
	wantSays(t, res, "Оплату прийнято", "12,50 грн", "•••• 42")
	s.wantTold("Оплачено")
	if o := s.liqOrders(link); len(o) != 1 || o[0].Status != "wait_accept" {
		t.Fatalf("LiqPay's orders: %+v, want one wait_accept", o)
	}
	var st struct {
		Status   string `json:"status"`
		Attempts []struct {
			Status     string `json:"status"`
			BankStatus string `json:"bank_status"`
			Card       string `json:"card"`
		} `json:"attempts"`
	}
	readState(t, s.env.States, onlyCheck(t, s), &st)
	if st.Status != "paid" || len(st.Attempts) != 1 || st.Attempts[0].Status != "success" ||
		st.Attempts[0].BankStatus != "wait_accept" || st.Attempts[0].Card != "Visa •••• 42" {
		t.Errorf("the check's state: %+v, want paid, its attempt a success with bank_status wait_accept and the card", st)
	}
	wantSays(t, s.buyer().Get(link), "Чек оплачено")
}

// TestReceiptShowsTheCard: the paid page shows the card's ending as each
// bank reports it (monobank's maskedPan with its payment system, LiqPay's
// sender_card_mask2 with sender_card_type).
func TestReceiptShowsTheCard(t *testing.T) {
	tests := []struct {
		name, creds string
		pay         func(s *shop, b *buyer, link string) bpage
		want        string
	}{
		{"monobank", acqMonoCreds, func(s *shop, b *buyer, link string) bpage {
			return s.monoPay(b, s.toBank(b, link), acqCardPaid)
		}, "Visa •••• 4242"},
		{"liqpay", acqLiqPayCreds, func(s *shop, b *buyer, link string) bpage {
			return s.liqPay(b, s.toBank(b, link), acqCardPaid)
		}, "Visa •••• 42"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newShop(t, hosttest.Options{}, fakeAcquirers)
			s.switchTo(tt.creds)
			link, _ := s.newCheck("12,50")
			b := s.buyer()
			wantSays(t, tt.pay(s, b, link), "Оплату прийнято", tt.want)
			s.wantTold("Оплачено")
			wantSays(t, b.Get(link+"/result"), "Оплату прийнято", tt.want)
		})
	}
}
