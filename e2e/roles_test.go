package e2e

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/paylastic/edge/core/check"
	faketg "github.com/paylastic/edge/fakes/telegram"
	vbfake "github.com/paylastic/edge/fakes/viber"
	"github.com/paylastic/edge/wasm/hosttest"
)

// cashierChat is the Telegram user the owner (buyerChat) takes on.
const cashierChat = int64(5151)

// last is the last message the bot sent to chat.
func (s *shop) last(chat int64) faketg.Message {
	s.t.Helper()
	msgs := s.tg.Messages(chat)
	if len(msgs) == 0 {
		s.t.Fatalf("the bot sent chat %d nothing", chat)
	}
	return msgs[len(msgs)-1]
}

// inlineButtons lists the data of a message's inline buttons.
func inlineButtons(t testing.TB, m faketg.Message) []string {
	t.Helper()
	var mk struct {
		Rows [][]struct {
			Data string `json:"callback_data"`
		} `json:"inline_keyboard"`
	}
	if err := json.Unmarshal(m.ReplyMarkup, &mk); err != nil {
		t.Fatalf("inline keyboard %s: %v", m.ReplyMarkup, err)
	}
	var out []string
	for _, r := range mk.Rows {
		for _, b := range r {
			out = append(out, b.Data)
		}
	}
	return out
}

// payLink pays a check's link with the sandbox's good card.
func (s *shop) payLink(link string) {
	s.t.Helper()
	b := s.buyer()
	wantSays(s.t, b.Submit(b.Submit(b.Get(link), nil), sandboxCard(sbCardPaid)), "Оплату прийнято")
}

// checkIDByShort is the id of the stored check whose ShortID is short.
func (s *shop) stateOf(short string) string {
	s.t.Helper()
	for _, id := range checkIDs(s.t, s.env) {
		if check.ShortID(id) == short {
			return string(checkState(s.t, s.env, id).Status)
		}
	}
	s.t.Fatalf("no check %s", short)
	return ""
}

var shortInText = regexp.MustCompile(`[Чч]ек ([A-Z0-9]{6})`)

// addCashier has the owner add a cashier from «Касири» and the cashier
// send the code; it returns the code.
func (s *shop) addCashier(chat int64, name string) string {
	s.t.Helper()
	s.say("Касири")
	menu := s.last(buyerChat)
	if d := inlineButtons(s.t, menu); len(d) == 0 || d[0] != "staff:add" {
		s.t.Fatalf("«Касири» answered %q with buttons %q", menu.Plain, d)
	}
	s.press(menu, "staff:add")
	code := regexp.MustCompile(`[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{2}`).FindString(s.last(buyerChat).Plain)
	if code == "" {
		s.t.Fatalf("no cashier code in %q", s.last(buyerChat).Plain)
	}
	s.sayAs(chat, name, code)
	if got := s.last(chat).Plain; !strings.Contains(got, "касир") {
		s.t.Fatalf("the cashier's code answered %q", got)
	}
	return code
}

// TestRolesTelegram: an owner adds a cashier from the bot, the cashier
// takes a payment and cannot refund it, the owner refunds it, then removes
// the cashier, whose next message is told so and whose open check stays
// payable.
func TestRolesTelegram(t *testing.T) {
	s := newShop(t, hosttest.Options{})
	s.addCashier(cashierChat, "Петро")

	s.sayAs(cashierChat, "Петро", "120")
	qr := s.last(cashierChat)
	link := regexp.MustCompile(regexp.QuoteMeta(s.env.URL) + `/p/[A-Za-z0-9_-]+`).FindString(qr.Plain)
	short := shortInText.FindStringSubmatch(qr.Plain)
	if link == "" || short == nil {
		t.Fatalf("the cashier's check: %q", qr.Plain)
	}
	s.payLink(link)
	notice := s.last(cashierChat)
	if !strings.HasPrefix(notice.Plain, "✅") {
		t.Fatalf("the cashier was told %q, want the paid notice", notice.Plain)
	}
	refund := inlineButtons(t, notice)[0]
	handle := strings.TrimPrefix(refund, "refund:")
	s.pressAs(cashierChat, notice, refund)
	s.pressAs(cashierChat, notice, "refundok:"+handle)
	if st := s.stateOf(short[1]); st != "paid" {
		t.Fatalf("after the cashier's refund presses the check is %s, want paid", st)
	}
	// the owner refunds the cashier's check (the same button data)
	s.press(notice, "refundok:"+handle)
	if st := s.stateOf(short[1]); st != "refunded" {
		t.Fatalf("after the owner's refund the check is %s, want refunded", st)
	}

	// an open check of the cashier, then the owner removes them
	s.sayAs(cashierChat, "Петро", "30")
	open := regexp.MustCompile(regexp.QuoteMeta(s.env.URL) + `/p/[A-Za-z0-9_-]+`).FindString(s.last(cashierChat).Plain)
	s.say("Касири")
	menu := s.last(buyerChat)
	d := inlineButtons(t, menu)
	if len(d) != 2 || !strings.HasPrefix(d[1], "staffrm:") || !strings.Contains(menu.Plain, "Петро") {
		t.Fatalf("«Касири» lists %q with %q", menu.Plain, d)
	}
	s.press(menu, d[1])
	s.press(s.last(buyerChat), strings.Replace(d[1], "staffrm:", "staffrmok:", 1))
	s.sayAs(cashierChat, "Петро", "50")
	if got := s.last(cashierChat).Plain; !strings.Contains(got, "більше не касир") || !strings.Contains(got, "Ранок") {
		t.Errorf("the removed cashier was told %q", got)
	}
	s.payLink(open) // their open check stays payable
}

// vbKey is the ActionBody in m's keyboard that starts with prefix.
func vbKey(t *testing.T, m vbfake.Message, prefix string) string {
	t.Helper()
	for body := range vbKeys(t, m) {
		if strings.HasPrefix(body, prefix) {
			return body
		}
	}
	t.Fatalf("no %q key under %q: %s", prefix, m.Text, m.Keyboard)
	return ""
}

// TestRolesViber is TestRolesTelegram over Viber, where inline buttons are
// keyboard keys whose ActionBody comes back as a message.
func TestRolesViber(t *testing.T) {
	e := startViber(t)
	owner := e.user("b3duZXJvd25lcm93bmVyMQ==", "uk")
	cashier := e.user("Y2FzaGllcmNhc2hpZXIyMg==", "uk")
	owner.say(e.newMerchant("Кавʼярня Ранок"))

	menu := vbOne(t, "«Касири»", owner.say("staff"))
	add := vbKey(t, menu, "staff:add")
	codeMsg := vbOne(t, "add a cashier", owner.say(add))
	code := regexp.MustCompile(`[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{2}`).FindString(codeMsg.Text)
	if code == "" {
		t.Fatalf("no cashier code in %q", codeMsg.Text)
	}
	// Viber shows the last message's keyboard: a reply that names none
	// still carries the owner's, not the cashier's
	if keys := vbKeys(t, codeMsg); keys["report"] == "" || keys["list"] != "" {
		t.Errorf("the owner's keyboard under the code is %v, want the owner's", keys)
	}
	if m := vbOne(t, "the cashier's code", cashier.say(code)); !strings.Contains(m.Text, "касир") {
		t.Fatalf("the cashier's code answered %q", m.Text)
	}

	_, _, link := cashier.check("120")
	b := e.newBuyer()
	wantSays(t, b.Submit(b.Submit(b.Get(link), nil), sandboxCard(sbCardPaid)), "Оплату прийнято")
	msgs := e.vb.Messages(cashier.id)
	notice := msgs[len(msgs)-1]
	if !strings.HasPrefix(notice.Text, "✅") {
		t.Fatalf("the cashier was told %q, want the paid notice", notice.Text)
	}
	handle := strings.TrimPrefix(vbKey(t, notice, "refund:"), "refund:")
	id := e.checkIDs()[0]
	cashier.say("refundok:" + handle)
	if st := e.checkState(id).Status; st != "paid" {
		t.Fatalf("after the cashier's refund the check is %s, want paid", st)
	}
	owner.say("refundok:" + handle)
	if st := e.checkState(id).Status; st != "refunded" {
		t.Fatalf("after the owner's refund the check is %s, want refunded", st)
	}

	rm := vbKey(t, vbOne(t, "«Касири»", owner.say("staff")), "staffrm:")
	owner.say(strings.Replace(rm, "staffrm:", "staffrmok:", 1))
	if m := vbOne(t, "removed cashier", cashier.say("50")); !strings.Contains(m.Text, "більше не касир") {
		t.Errorf("the removed cashier was told %q", m.Text)
	}
}
