package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/paylastic/edge/core/checks"
	tgfake "github.com/paylastic/edge/fakes/telegram"
	"github.com/paylastic/edge/wasm/hosttest"
)

// lastMessage is the bot's newest message to the operator whose text has part.
func (s *shop) lastMessage(part string) tgfake.Message {
	s.t.Helper()
	msgs := s.tg.Messages(buyerChat)
	for i := len(msgs) - 1; i >= 0; i-- {
		if strings.Contains(msgs[i].Plain, part) {
			return msgs[i]
		}
	}
	s.t.Fatalf("the bot sent no message with %q", part)
	return tgfake.Message{}
}

// refundFromBot presses «Повернути кошти» under the paid notice, then
// «Так, повернути» under the confirmation, as the operator would.
func (s *shop) refundFromBot() {
	s.t.Helper()
	paid := s.lastMessage("Оплачено")
	s.press(paid, inlineData(s.t, paid, "refund:"))
	ask := s.lastMessage("Повернути покупцю")
	s.press(ask, inlineData(s.t, ask, "refundok:"))
}

// TestRefundFromBotSandbox: the operator refunds a paid check from the bot,
// with a confirmation step; the check becomes refunded, its page says so,
// the operator is told once, and a second press refunds nothing.
func TestRefundFromBotSandbox(t *testing.T) {
	s := newShop(t, hosttest.Options{})
	link, _ := s.newCheck("12,50")
	b := s.buyer()
	wantSays(t, b.Submit(b.Submit(b.Get(link), nil), sandboxCard(sbCardPaid)), "Оплату прийнято")
	s.wantTold("Оплачено")

	// «Ні» refunds nothing
	paid := s.lastMessage("Оплачено")
	s.press(paid, inlineData(t, paid, "refund:"))
	ask := s.lastMessage("Повернути покупцю")
	s.press(ask, inlineData(t, ask, "refundno:"))
	wantSays(t, b.Get(link), "Чек оплачено")

	s.refundFromBot()
	s.wantTold("Оплачено", "Повернення")
	wantSays(t, b.Get(link), "Кошти за цей чек повернено")
	if m := s.lastMessage("передано банку"); m.Edits != 1 {
		t.Errorf("the confirmation was edited %d times, want once", m.Edits)
	}
	ask = s.lastMessage("передано банку")
	s.press(ask, "refundok:"+strings.TrimPrefix(inlineData(t, paid, "refund:"), "refund:"))
	s.wantTold("Оплачено", "Повернення")
}

// TestRefundFromBotMonobankSettledLater: monobank's invoice/cancel answers
// "processing" and settles the refund a minute later, and its "reversed"
// webhook is lost. The refund costs no KV write and two state writes (its
// claim, then the mark that it was asked); the check stays paid until the scheduled pass asks
// invoice/status, finds the invoice reversed and records it; then the page
// says the money was returned and the operator is told exactly once. A
// second confirmation meanwhile asks monobank for no second refund.
func TestRefundFromBotMonobankSettledLater(t *testing.T) {
	s := newShop(t, hosttest.Options{}, fakeAcquirers)
	s.switchTo(acqMonoCreds)
	link, b := s.paidCheck(atMonobank, "12,50")
	s.wantTold("Оплачено")
	s.mono.SetRefundDelay(time.Minute)
	s.mono.SetDropWebhooks(true)

	id := checkIDs(t, s.env)[0]
	at, v := s.env.KV.Snapshot(), stateVersion(t, s.env.States, id)
	s.refundFromBot()
	writes, stateWrites := s.env.KV.Snapshot().Sub(at).Puts, stateVersion(t, s.env.States, id)-v
	t.Logf("writes of a refund monobank settles later, when asked: KV %d, state %d", writes, stateWrites)
	if writes != 0 || stateWrites != 2 {
		t.Errorf("asking the refund cost %d KV writes and %d state writes, want 0 and 2", writes, stateWrites)
	}
	s.lastMessage("передано банку")
	wantSays(t, b.Get(link), "Чек оплачено")
	s.wantTold("Оплачено")
	invs := s.monoInvoices(link)
	if len(invs) != 1 || invs[0].Status != "success" || len(invs[0].CancelList) != 1 || invs[0].CancelList[0].Status != "processing" {
		t.Fatalf("monobank's invoice after the refund was asked: %+v", invs)
	}

	// a second «Так, повернути» while monobank is processing
	paid := s.lastMessage("Оплачено")
	ask := s.lastMessage("передано банку")
	s.press(ask, "refundok:"+strings.TrimPrefix(inlineData(t, paid, "refund:"), "refund:"))
	if n := len(s.monoInvoices(link)[0].CancelList); n != 1 {
		t.Errorf("monobank was asked to refund %d times, want once", n)
	}

	needScheduledWiring(t)
	s.env.Clock.Advance(checks.ReconcileAfter + time.Second)
	at, v = s.env.KV.Snapshot(), stateVersion(t, s.env.States, id)
	s.scheduled()
	t.Logf("writes of the scheduled pass that found the reversal: KV %d, state %d", s.env.KV.Snapshot().Sub(at).Puts, stateVersion(t, s.env.States, id)-v)
	s.wantTold("Оплачено", "Повернення")
	wantSays(t, b.Get(link), "Кошти за цей чек повернено")
	invs = s.monoInvoices(link)
	if len(invs) != 1 || invs[0].Status != "reversed" {
		t.Errorf("monobank's invoice after the pass: %+v", invs)
	}
	whs := s.mono.Webhooks()
	if last := whs[len(whs)-1]; last.Status != "reversed" || !last.Dropped {
		t.Errorf("monobank's last webhook: %s dropped %v, want the reversal, lost", last.Status, last.Dropped)
	}

	s.env.Clock.Advance(checks.SweepEvery)
	s.scheduled()
	s.wantTold("Оплачено", "Повернення")
}
