package e2e

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/paylastic/edge/core/kyiv"
	"github.com/paylastic/edge/wasm/hosttest"
)

// The first day of a real merchant whose setup is wrong, on the compiled
// guest: nothing says "try again later" forever; the buyer, the cashier
// and the admin each learn what is wrong, once.

// TestNoBankYet: with the sandbox off (production), a merchant made
// without a bank has none, and its cashier gets no QR that nobody could
// pay: the bot says payments are not set up.
func TestNoBankYet(t *testing.T) {
	s := newShop(t, hosttest.Options{Env: map[string]string{"SANDBOX_BANK": "0"}})
	before := len(s.tg.Messages(buyerChat))
	s.say("12,50")
	msgs := s.tg.Messages(buyerChat)[before:]
	if len(msgs) != 1 || msgs[0].Photo != "" || !strings.Contains(msgs[0].Plain, "не налаштовано") {
		t.Fatalf("the bot answered %+v; want one message saying payments are not set up", msgs)
	}
	if ids := checkIDs(t, s.env); len(ids) != 0 {
		t.Errorf("%d checks made for a merchant without a bank", len(ids))
	}
}

// TestMonobankTokenRevoked: the merchant revokes its monobank token after
// setup. A buyer's «Оплатити» answers that card payment is not available
// here (422, no "try again in a minute"), twice; the cashier is told once;
// the admin sees the bank's refusal on the merchant; a refund pressed in
// the bot is answered (not 5xx, which Telegram would retry) and says the
// bank refused it.
func TestMonobankTokenRevoked(t *testing.T) {
	s := newShop(t, hosttest.Options{}, fakeAcquirers)
	s.switchTo(acqMonoCreds)
	paidLink, _ := s.paidCheck(atMonobank, "20,00")
	s.wantTold("Оплачено")

	s.mono.SetToken("another token") // revoked in the merchant's cabinet
	link, _ := s.newCheck("12,50")
	for i := range 2 {
		b := s.buyer()
		pg := b.Submit(b.Get(link), nil)
		if pg.Status != http.StatusUnprocessableEntity {
			t.Errorf("press %d = %d, want 422", i+1, pg.Status)
		}
		wantSays(t, pg, "Оплата карткою в цьому магазині зараз недоступна", "Гроші не списано")
		if strings.Contains(pg.Body, "хвилину") {
			t.Errorf("press %d says try again in a minute", i+1)
		}
	}
	s.wantTold("Оплачено", "банк відмовив магазину")
	st, body := s.admin("GET", "/admin/merchants/"+s.merchant, "")
	var m struct {
		BankError *struct {
			Message string `json:"message"`
		} `json:"bank_error"`
	}
	if err := json.Unmarshal([]byte(body), &m); err != nil || st != 200 || m.BankError == nil || !strings.Contains(m.BankError.Message, "monobank refused") {
		t.Errorf("GET merchant = %d %s; want the bank's refusal in bank_error", st, body)
	}

	s.refundFromBot() // s.webhook fails the test unless Telegram is answered 200
	s.lastMessage("Банк відмовив у поверненні")
	if invs := s.monoInvoices(paidLink); len(invs) != 1 || invs[0].Status != "success" {
		t.Errorf("the paid invoice after a refused refund: %+v", invs)
	}

	// the right token again: the next buyer pays, and the error is gone
	s.mono.SetToken(acqMonoToken)
	s.switchTo(acqMonoCreds)
	b := s.buyer()
	wantSays(t, s.monoPay(b, s.toBank(b, link), acqCardPaid), "Оплату прийнято")
	if _, body := s.admin("GET", "/admin/merchants/"+s.merchant, ""); strings.Contains(body, "bank_error") {
		t.Errorf("the bank error stays after the provider was set again: %s", body)
	}
}

// TestNoticeTellsTheBanksTime: the paid notice gives the time the buyer
// paid, as the bank reports it, not when the product learnt it (here the
// webhook is lost and the scheduled pass finds the payment 7 minutes on).
func TestNoticeTellsTheBanksTime(t *testing.T) {
	s := newShop(t, hosttest.Options{}, fakeAcquirers)
	s.switchTo(acqMonoCreds)
	link, _ := s.newCheck("12,50")
	paidAt := kyivClock(s.env.Clock.Now())
	s.payLosingCallbacks(atMonobank, s.buyer(), link)
	s.env.Clock.Advance(7 * time.Minute)
	learntAt := kyivClock(s.env.Clock.Now())
	s.scheduled()
	s.wantTold("Оплачено: чек")
	if told := s.told(); len(told) == 1 && (!strings.Contains(told[0], "о "+paidAt) || strings.Contains(told[0], learntAt)) {
		t.Errorf("notice %q; want the bank's time %s, not %s", told[0], paidAt, learntAt)
	}
}

// TestSandboxPaymentsMarkedTest: a sandbox payment is a test payment in the
// notice, in «Мої чеки» and on the buyer's page; a real one is not.
func TestSandboxPaymentsMarkedTest(t *testing.T) {
	s := newShop(t, hosttest.Options{})
	link, _ := s.newCheck("12,50")
	b := s.buyer()
	res := b.Submit(b.Submit(b.Get(link), nil), sandboxCard(sbCardPaid))
	wantSays(t, res, "Оплату прийнято", "Тестова оплата", "Чек №", "•••• 4242")
	s.wantTold("Тестова оплата (пісочниця)")
	before := len(s.tg.Messages(buyerChat))
	s.say("Мої чеки")
	if msgs := s.tg.Messages(buyerChat)[before:]; len(msgs) != 1 || !strings.Contains(msgs[0].Plain, "🧪") {
		t.Errorf("«Мої чеки» = %+v; want the paid check marked 🧪", msgs)
	}

	m := newShop(t, hosttest.Options{}, fakeAcquirers)
	m.switchTo(acqMonoCreds)
	mlink, _ := m.newCheck("12,50")
	mb := m.buyer()
	page := m.monoPay(mb, m.toBank(mb, mlink), acqCardPaid)
	m.mono.Wait()
	if strings.Contains(page.Body, "Тестова") || strings.Contains(strings.Join(m.told(), "\n"), "Тестова") {
		t.Errorf("a monobank payment is marked as a test")
	}
}

// kyivClock is t as a notice prints it ("12:03", Kyiv time).
func kyivClock(t time.Time) string { return kyiv.In(t).Format("15:04") }
