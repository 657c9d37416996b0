package e2e

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/paylastic/edge/core/checks"
	"github.com/paylastic/edge/core/kv"
	"github.com/paylastic/edge/wasm/hosttest"
)

// TestTelegramWalk is the cashier's path on the compiled guest, in both
// languages: /start, the activation code, «Створити чек», 12,50, a QR that
// reads as the link in its caption, and the link's payment page.
func TestTelegramWalk(t *testing.T) {
	tests := []struct {
		lang, greet, done, button, ask, caption, page string
	}{
		{"uk", "код активації", "Готово! Тепер ви власник «Кавʼярня Ранок»", "Створити чек", "Введіть суму", "Чек на 12,50 грн", "12,50 грн"},
		{"en", "activation code", "Done! You are now an owner of “Кавʼярня Ранок”", "New check", "Enter the amount", "Check for UAH 12.50", "12,50 грн"},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			e := startTelegram(t)
			code := e.newMerchant("Кавʼярня Ранок")
			u := e.user(4242, tt.lang)

			if m := oneMessage(t, "/start", u.say("/start")); !strings.Contains(m.Plain, tt.greet) {
				t.Errorf("greeting %q, want %q in it", m.Plain, tt.greet)
			}
			start := e.KV.Snapshot()
			m := oneMessage(t, "code", u.say(code))
			if got := e.KV.Snapshot().Sub(start); got != (kv.Counts{}) {
				t.Errorf("activation KV cost %+v; want none (codes, throttles and operators are in the consistent store)", got)
			}
			if !strings.Contains(m.Plain, tt.done) || !strings.Contains(string(m.ReplyMarkup), `{"text":"`+tt.button+`"}`) {
				t.Errorf("activation: %q keyboard %s", m.Plain, m.ReplyMarkup)
			}

			before := e.KV.Snapshot()
			if m := oneMessage(t, "button", u.say(tt.button)); !strings.Contains(m.Plain, tt.ask) {
				t.Errorf("button answer %q, want %q", m.Plain, tt.ask)
			}
			tap := e.KV.Snapshot().Sub(before)
			pic := oneMessage(t, "amount", u.say("12,50"))
			check := e.KV.Snapshot().Sub(before).Sub(tap)
			t.Logf("KV cost: button tap %+v; amount to QR %+v", tap, check)
			if tap != (kv.Counts{}) || check != (kv.Counts{Gets: 1, Puts: 1}) {
				t.Errorf("KV cost: tap %+v, amount to QR %+v; want nothing, then 1 read (already created?) and 1 write (the invoice)", tap, check)
			}

			if pic.Photo == "" || !strings.Contains(pic.Caption, tt.caption) {
				t.Fatalf("check message %+v", pic)
			}
			png, ok := e.tg.Photo(pic.Photo)
			if !ok {
				t.Fatal("QR picture not uploaded")
			}
			link := linkIn(t, e, pic.Caption)
			if got := decodeQR(t, png); got != link {
				t.Errorf("QR reads %q, caption links %q", got, link)
			}
			status, body := getPage(t, link)
			if status != 200 || !strings.Contains(body, tt.page) || !strings.Contains(body, "Кавʼярня Ранок") {
				t.Errorf("payment page %s = %d, want 200 with %q and the merchant", link, status, tt.page)
			}

			// cancel it with the button under the picture
			u.send(u.callback(cancelData(t, pic), pic.ID))
			if got := e.tg.Messages(4242); got[len(got)-1].ID != pic.ID || got[len(got)-1].Edits != 1 || got[len(got)-1].ReplyMarkup != nil {
				t.Errorf("after cancel the picture is %+v", got[len(got)-1])
			}
			if e.okCalls("answerCallbackQuery") != 1 {
				t.Errorf("callback answers = %d, want 1", e.okCalls("answerCallbackQuery"))
			}
			if st := e.checkState(e.checkIDs()[0]); st.Status != "cancelled" {
				t.Errorf("state after cancel %+v", st)
			}
		})
	}
}

// TestTelegramBadAmounts: each refused amount gets one reply and writes nothing.
func TestTelegramBadAmounts(t *testing.T) {
	e := startTelegram(t)
	u := e.user(77, "uk")
	u.say(e.newMerchant("Shop"))
	tests := map[string]string{
		"abc":         "Як прийняти оплату",
		"0":           "більшою за нуль",
		"-5":          "від’ємною",
		"12.345":      "копійок лише дві",
		"1e9":         "не схоже на суму",
		"":            "Надішліть суму числом",
		"100 000 000": "ліміт одного чека: 100\u202f000,00 грн",
	}
	for amount, want := range tests {
		t.Run(amount, func(t *testing.T) {
			before := e.KV.Snapshot()
			m := oneMessage(t, amount, u.say(amount))
			if !strings.Contains(m.Plain, want) {
				t.Errorf("reply %q, want %q in it", m.Plain, want)
			}
			if got := e.KV.Snapshot().Sub(before); got.Puts != 0 || got.Deletes != 0 {
				t.Errorf("KV changed: %+v", got)
			}
		})
	}
	if ids := e.checkIDs(); len(ids) != 0 || e.okCalls("sendPhoto") != 0 {
		t.Errorf("bad amounts created checks %v / %d pictures", ids, e.okCalls("sendPhoto"))
	}
}

func TestTelegramWrongSecret(t *testing.T) {
	e := startTelegram(t)
	u := e.user(5, "uk")
	for _, secret := range []string{"", "nope", tgSecret + "x", strings.ToUpper(tgSecret)} {
		before := e.KV.Snapshot()
		if st := e.deliver(secret, u.message("/start")); st != http.StatusUnauthorized {
			t.Errorf("secret %q: status %d, want 401", secret, st)
		}
		if got := e.KV.Snapshot().Sub(before); got != (kv.Counts{}) {
			t.Errorf("secret %q: KV ops %+v", secret, got)
		}
	}
	if calls := e.tg.Calls(); len(calls) != 0 {
		t.Errorf("Bot API calls after rejected updates: %+v", calls)
	}
}

func TestTelegramNotConfigured(t *testing.T) {
	env := hosttest.Start(t, hosttest.Options{})
	resp, err := http.Post(env.URL+"/telegram/webhook", "application/json", strings.NewReader(`{"update_id":1}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Errorf("status %d, want 404", resp.StatusCode)
	}
}

// TestTelegramRepeatedUpdate: Telegram delivering the same update again
// creates no second check and sends no second QR.
func TestTelegramRepeatedUpdate(t *testing.T) {
	e := startTelegram(t)
	u := e.user(6, "en")
	u.say(e.newMerchant("Shop"))
	upd := u.message("99")
	u.send(upd)
	before := e.KV.Snapshot()
	e.Clock.Advance(20 * time.Second)
	u.send(upd)
	u.send(upd)
	if got := e.KV.Snapshot().Sub(before); got.Puts != 0 {
		t.Errorf("redeliveries wrote %+v", got)
	}
	if n := e.okCalls("sendPhoto"); n != 1 {
		t.Errorf("pictures sent = %d, want 1", n)
	}
	if ids := e.checkIDs(); len(ids) != 1 {
		t.Errorf("checks %v, want 1", ids)
	}
}

// TestTelegramFloodControl: a 429 on sendPhoto answers 5xx so Telegram
// retries; nothing is stored; the redelivery sends exactly one QR.
func TestTelegramFloodControl(t *testing.T) {
	e := startTelegram(t)
	u := e.user(8, "uk")
	u.say(e.newMerchant("Shop"))
	upd := u.message("12,50")
	e.tg.FailNext("sendPhoto", 429, 3, 1)
	before := e.KV.Snapshot()
	if st := e.deliver(tgSecret, upd); st < 500 {
		t.Fatalf("status after 429 = %d, want 5xx", st)
	}
	if got := e.KV.Snapshot().Sub(before); got.Puts != 0 || len(e.checkIDs()) != 0 {
		t.Fatalf("a failed send stored something: %+v", got)
	}
	e.Clock.Advance(3 * time.Second)
	u.send(upd)
	u.send(upd)
	if n := e.okCalls("sendPhoto"); n != 1 {
		t.Errorf("pictures sent = %d, want 1", n)
	}
	if ids := e.checkIDs(); len(ids) != 1 {
		t.Errorf("checks %v, want 1", ids)
	}
}

// TestTelegramNoticePending: the expiry notice hits a 429, stays pending,
// and the next scheduled pass delivers it once.
func TestTelegramNoticePending(t *testing.T) {
	e := startTelegram(t)
	u := e.user(9, "uk")
	u.say(e.newMerchant("Shop"))
	oneMessage(t, "amount", u.say("15"))
	id := e.checkIDs()[0]

	e.Clock.Advance(31 * time.Minute)
	// the pass tries once, when it expires the check; the next pass retries
	e.tg.FailNext("sendMessage", 429, 30, 1)
	tried := len(e.tg.Calls())
	if err := e.Scheduled(t.Context()); err != nil {
		t.Fatalf("scheduled pass: %v", err)
	}
	if len(e.tg.Calls()) == tried {
		t.Fatal("the scheduled pass sent nothing: has app.New lost the notifier?")
	}
	st := e.checkState(id)
	if st.Status != "expired" || len(st.Pending) != 1 || st.Pending[0].Kind != "expired" {
		t.Fatalf("after a failed notice: %+v; want expired with the notice pending", st)
	}
	if n := e.okCalls("sendMessage"); n != 1 { // the activation answer only
		t.Fatalf("sendMessage calls %d, want 1", n)
	}

	e.Clock.Advance(checks.ClaimLease) // the failed send's claim lapses
	if err := e.Scheduled(t.Context()); err != nil {
		t.Fatalf("scheduled pass: %v", err)
	}
	st = e.checkState(id)
	if len(st.Pending) != 0 || len(st.Notified) != 1 {
		t.Fatalf("after the retry: %+v; want the notice delivered ", st)
	}
	e.Clock.Advance(time.Minute)
	if err := e.Scheduled(t.Context()); err != nil {
		t.Fatal(err)
	}
	var notices int
	for _, m := range e.tg.Messages(9) {
		if strings.HasPrefix(m.Plain, "⌛") {
			notices++
		}
	}
	if notices != 1 {
		t.Errorf("expiry notices delivered = %d, want 1", notices)
	}
}
