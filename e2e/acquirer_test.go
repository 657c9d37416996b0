package e2e

import (
	"slices"
	"testing"
	"time"

	"github.com/paylastic/edge/core/checks"
)

// The flows that are the same at every bank, each run at monobank and at
// LiqPay (forAcquirers); what only one bank does is in monobank_test.go and
// liqpay_test.go.

// TestAcquirerLostCallback: the bank's callbacks are lost and the buyer
// never returns; the scheduled pass asks the bank for the payment's status
// after 2 minutes (monobank invoice/status, LiqPay action=status) and tells
// the operator, once.
func TestAcquirerLostCallback(t *testing.T) {
	forAcquirers(t, func(t *testing.T, s *shop, a acquirer) {
		link, _ := s.newCheck("12,50")
		s.payLosingCallbacks(a, s.buyer(), link)
		s.wantTold()
		needScheduledWiring(t)
		s.scheduled()
		s.wantTold() // the callback may still come: the bank is not asked before 2 min
		s.env.Clock.Advance(checks.ReconcileAfter + time.Second)
		s.scheduled()
		s.wantTold("Оплачено")
		s.env.Clock.Advance(5 * time.Minute)
		s.scheduled()
		s.wantTold("Оплачено")
		wantSays(t, s.buyer().Get(link), "Чек оплачено")
	})
}

// TestAcquirerLostCallbackBuyerReturns: the callbacks are lost but the
// buyer comes back to the result page, which asks the bank for the status.
func TestAcquirerLostCallbackBuyerReturns(t *testing.T) {
	forAcquirers(t, func(t *testing.T, s *shop, a acquirer) {
		link, _ := s.newCheck("12,50")
		b := s.buyer()
		page := s.toBank(b, link)
		a.loseCallbacks(s)
		wantSays(t, a.pay(s, b, page, acqCardPaid), "Оплату прийнято")
		s.wantTold("Оплачено")
	})
}

// TestAcquirerKVWrites: a check paid at a bank costs the product at most 3
// KV writes, plus, at monobank, its public key cached once per token.
func TestAcquirerKVWrites(t *testing.T) {
	forAcquirers(t, func(t *testing.T, s *shop, a acquirer) {
		at := s.env.KV.Snapshot()
		link, _ := s.newCheck("12,50")
		b := s.buyer()
		wantSays(t, a.pay(s, b, s.toBank(b, link), acqCardPaid), "Оплату прийнято")
		s.wantTold("Оплачено")
		writes := s.env.KV.Snapshot().Sub(at).Puts
		keys := 0
		if a.keysCached != nil {
			if keys = a.keysCached(s); keys != 1 {
				t.Fatalf("public keys cached: %d, want 1", keys)
			}
		}
		t.Logf("KV writes of a check paid at %s: %d, of which the public key cache %d", a.name, writes, keys)
		if product := writes - int64(keys); product > 3 {
			t.Errorf("a check paid at %s cost %d KV writes (and the key cache %d), want at most 3", a.name, product, keys)
		}
		at = s.env.KV.Snapshot()
		link, _ = s.newCheck("1,00")
		wantSays(t, a.pay(s, b, s.toBank(b, link), acqCardPaid), "Оплату прийнято")
		if product := s.env.KV.Snapshot().Sub(at).Puts; product > 3 {
			t.Errorf("the second check cost %d KV writes, want at most 3 (a key is cached)", product)
		}
	})
}

// TestAcquirerRefundFromBot: the operator's refund from the bot goes
// through the bank's refund API (monobank invoice/cancel, LiqPay
// action=refund): the bank's payment is reversed, the page says so and the
// operator is told once.
func TestAcquirerRefundFromBot(t *testing.T) {
	forAcquirers(t, func(t *testing.T, s *shop, a acquirer) {
		link, b := s.paidCheck(a, "12,50")
		s.refundFromBot()
		a.wait(s)
		s.wantTold("Оплачено", "Повернення")
		wantSays(t, b.Get(link), "Кошти за цей чек повернено")
		if got := a.payments(s, link); !slices.Equal(got, []string{"reversed"}) {
			t.Errorf("%s's payments of the check after the refund: %q, want [reversed]", a.name, got)
		}
	})
}
