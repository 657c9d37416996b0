package e2e

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/checks"
	"github.com/paylastic/edge/core/ids"
	"github.com/paylastic/edge/core/kv"
	vbfake "github.com/paylastic/edge/fakes/viber"
	"github.com/paylastic/edge/wasm/hosttest"
)

// TestViberWalk is the cashier's and the buyer's path on the compiled
// guest, through signed Viber callbacks, in both languages: the chat opened
// (a welcome, without the operator keyboard), the activation code, «Створити чек», 12,50,
// a QR picture whose URL serves a PNG that reads as the link in the next
// message; then the buyer pays with the sandbox bank, a declined card first,
// and the operator is told on Viber once about each attempt.
func TestViberWalk(t *testing.T) {
	tests := []struct {
		lang, greet, done, button, ask, caption, declined, paid, listHeader, listTotal string
	}{
		{"uk", "код активації", "Готово! Тепер ви власник «Кавʼярня Ранок»", "Створити чек", "Введіть суму", "Чек на 12,50 грн", "Оплата не пройшла", "Оплачено: чек", "Чеки за сьогодні", "Оплачено сьогодні: 12,50 грн (1 з 1)"},
		{"en-US", "activation code", "Done! You are now an owner of “Кавʼярня Ранок”", "New check", "Enter the amount", "Check for UAH 12.50", "Payment failed", "Paid: check", "Today's checks", "Paid today: UAH 12.50 (1 of 1)"},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			e := startViber(t)
			code := e.newMerchant("Кавʼярня Ранок")
			u := e.user("Zm9vYmFyYmF6cXV4MTIzNA==", tt.lang)

			w := u.open("")
			if !strings.Contains(w.Text, tt.greet) || len(w.Keyboard) != 0 || w.SenderName == "" {
				t.Errorf("welcome %q keyboard %s, want no operator keyboard for a stranger", w.Text, w.Keyboard)
			}
			if e.okSends() != 0 {
				t.Errorf("the welcome went through send_message: %+v", e.vb.Calls())
			}

			start := e.KV.Snapshot()
			m := vbOne(t, "code", u.say(code))
			if got := e.KV.Snapshot().Sub(start); got != (kv.Counts{}) {
				t.Errorf("activation KV cost %+v; want none (codes, throttles and operators are in the consistent store)", got)
			}
			if !strings.Contains(m.Text, tt.done) || vbKeys(t, m)["new"] != tt.button {
				t.Errorf("activation: %q keyboard %s", m.Text, m.Keyboard)
			}

			before := e.KV.Snapshot()
			if m := vbOne(t, "button", u.say("new")); !strings.Contains(m.Text, tt.ask) {
				t.Errorf("button answer %q, want %q", m.Text, tt.ask)
			}
			tap := e.KV.Snapshot().Sub(before)
			pic, details, link := u.check("12,50")
			amount := e.KV.Snapshot().Sub(before).Sub(tap)
			if tap != (kv.Counts{}) || amount != (kv.Counts{Gets: 1, Puts: 1}) {
				t.Errorf("KV cost: tap %+v, amount to QR %+v; want nothing, then 1 read (already created?) and 1 write (the invoice)", tap, amount)
			}
			if !strings.Contains(pic.Text, tt.caption) || !strings.Contains(details.Text, tt.caption) {
				t.Errorf("picture text %q, details %q; want %q", pic.Text, details.Text, tt.caption)
			}
			if pic.Media != link+"/qr.png" {
				t.Errorf("picture media %q, want %s/qr.png", pic.Media, link)
			}
			status, ctype, png := e.fetch(pic.Media)
			if status != 200 || ctype != "image/png" {
				t.Fatalf("GET %s = %d %s", pic.Media, status, ctype)
			}
			if got := decodeQR(t, png); got != link {
				t.Errorf("QR reads %q, the details link %q", got, link)
			}
			vbCancelKey(t, details)

			b := e.newBuyer()
			pg := b.Get(link)
			wantSays(t, pg, "Кавʼярня Ранок", "12,50 грн")
			res := b.Submit(b.Submit(pg, nil), sandboxCard(sbCardDeclined))
			wantSays(t, res, "Недостатньо коштів")
			u.wantNotices(tt.declined)
			res = b.Submit(b.Submit(res, nil), sandboxCard(sbCardPaid))
			wantSays(t, res, "Оплату прийнято")
			u.wantNotices(tt.declined, tt.paid)

			// nothing more comes from the scheduled pass or a second look
			e.Clock.Advance(time.Minute)
			if err := e.Scheduled(t.Context()); err != nil {
				t.Fatal(err)
			}
			wantSays(t, b.Get(link), "Чек оплачено")
			u.wantNotices(tt.declined, tt.paid)

			// «Мої чеки»: today's check, paid, and the day's total
			list := vbOne(t, "list", u.say("list"))
			for _, want := range []string{tt.listHeader, tt.listTotal} {
				if !strings.Contains(list.Text, want) {
					t.Errorf("«Мої чеки» says %q, want %q", list.Text, want)
				}
			}
			for _, m := range e.vb.Messages(u.id) {
				// the merchant's first code made u an owner: the owner's keyboard
				if strings.HasPrefix(m.Text, "✅") && vbKeys(t, m)["shop"] == "" {
					t.Errorf("the paid notice lacks the owner's keyboard: %s", m.Keyboard)
				}
			}
		})
	}
}

// TestViberCancel: the cancel key under a check cancels it, once.
func TestViberCancel(t *testing.T) {
	e := startViber(t)
	u := e.user("Y2FuY2VsbGVyMTIzNDU2Nw==", "uk")
	u.say(e.newMerchant("Shop"))
	_, details, link := u.check("40")
	key := vbCancelKey(t, details)
	if m := vbOne(t, "cancel", u.say(key)); !strings.Contains(m.Text, "скасовано") || strings.HasPrefix(vbCancelKeyOrNone(t, m), "cancel:") {
		t.Errorf("cancel answer %q keyboard %s", m.Text, m.Keyboard)
	}
	if st := e.checkState(e.checkIDs()[0]); st.Status != "cancelled" {
		t.Errorf("state after cancel %+v", st)
	}
	if m := vbOne(t, "cancel again", u.say(key)); !strings.Contains(m.Text, "скасувати не можна") {
		t.Errorf("second cancel answer %q", m.Text)
	}
	if status, body := getPage(t, link); status == 200 && strings.Contains(body, ">Оплатити<") {
		t.Errorf("the cancelled check's page still offers to pay")
	}
}

func vbCancelKeyOrNone(t *testing.T, m vbfake.Message) string {
	for body := range vbKeys(t, m) {
		if strings.HasPrefix(body, "cancel:") {
			return body
		}
	}
	return ""
}

// TestViberBadSignature: a callback not signed with the auth token is
// refused with 403, reads and writes nothing and sends nothing.
func TestViberBadSignature(t *testing.T) {
	e := startViber(t)
	u := e.user("YmFkc2lnbmF0dXJlMTIzNA==", "uk")
	body := u.message("/start")
	right := vbfake.Sign(vbToken, body)
	for name, sig := range map[string]string{
		"missing":     "",
		"garbage":     "nope",
		"other token": vbfake.Sign(vbToken+"x", body),
		"other body":  vbfake.Sign(vbToken, u.message("/start")),
		"truncated":   right[:len(right)-2],
		"the token":   vbToken,
	} {
		t.Run(name, func(t *testing.T) {
			before := e.KV.Snapshot()
			if st := e.post(body, sig); st != http.StatusForbidden {
				t.Errorf("status %d, want 403", st)
			}
			if got := e.KV.Snapshot().Sub(before); got != (kv.Counts{}) {
				t.Errorf("KV ops %+v", got)
			}
		})
	}
	if calls := e.vb.Calls(); len(calls) != 0 {
		t.Errorf("API calls after refused callbacks: %+v", calls)
	}
	if st, _ := e.deliver(body); st != 200 || e.okSends() != 1 {
		t.Errorf("the rightly signed callback: %d, %d messages", st, e.okSends())
	}
}

// TestViberReplayedToken: Viber delivering the same message again creates
// no second check, sends no second picture and writes nothing.
func TestViberReplayedToken(t *testing.T) {
	e := startViber(t)
	u := e.user("cmVwbGF5ZWQxMjM0NTY3OA==", "en")
	u.say(e.newMerchant("Shop"))
	msg := u.message("99")
	u.send(msg)
	before, sends := e.KV.Snapshot(), e.okSends()
	e.Clock.Advance(20 * time.Second)
	u.send(msg)
	u.send(msg)
	if got := e.KV.Snapshot().Sub(before); got.Puts != 0 || got.Deletes != 0 {
		t.Errorf("replays wrote %+v", got)
	}
	if n := e.okSends() - sends; n != 0 {
		t.Errorf("replays sent %d messages", n)
	}
	if ids := e.checkIDs(); len(ids) != 1 || e.pictures(u.id) != 1 {
		t.Errorf("checks %v, pictures %d; want 1 and 1", ids, e.pictures(u.id))
	}
}

// TestViberBigTokens: message tokens above 2^53 that float64 cannot tell
// apart make distinct checks, each with the id derived from its exact token;
// replaying one makes nothing.
func TestViberBigTokens(t *testing.T) {
	e := startViber(t)
	u := e.user("YmlndG9rZW5zMTIzNDU2Nw==", "uk")
	u.say(e.newMerchant("Shop"))
	toks := []uint64{1<<53 + 1, 1 << 53, 18446744073709551615}
	if float64(toks[0]) != float64(toks[1]) {
		t.Fatal("the first two tokens should collide in float64")
	}
	for i, tok := range toks {
		u.send(u.messageWith(strconv.Itoa(10+i), tok))
	}
	u.send(u.messageWith("10", toks[0]))
	key := check.NewSigner(hosttest.LinkSecret).Key()
	var want []string
	for _, tok := range toks {
		want = append(want, ids.Encode(ids.Derive(key, check.IDBytes, "check", "viber:"+u.id+":"+strconv.FormatUint(tok, 10))))
	}
	got := e.checkIDs()
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("check ids %v, want %v (derived from the exact tokens)", got, want)
	}
	if n := e.pictures(u.id); n != len(toks) {
		t.Errorf("pictures %d, want %d", n, len(toks))
	}
}

// TestViberIgnored: signed callbacks the bot has nothing to do with, and
// malformed ones, change nothing and send nothing.
func TestViberIgnored(t *testing.T) {
	e := startViber(t)
	const user = "aWdub3JlZDEyMzQ1Njc4OQ=="
	now := e.Clock.Now()
	tests := []struct {
		name string
		body string
		want int
	}{
		{"unknown type", `{"event":"client_status","timestamp":1764151200000,"message_token":4912661846655238145,"user_id":"` + user + `"}`, 200},
		{"webhook check", string(vbfake.WebhookCallback(5753750845017966998, now, "SN-CHAT-03_")), 200},
		{"subscribed", string(vbfake.Subscribed(user, "Оля", "uk", 1<<60, now)), 200},
		{"delivered", string(vbfake.Delivered(user, 1<<60, now)), 200},
		{"seen", string(vbfake.Seen(user, 1<<60, now)), 200},
		{"failed", string(vbfake.Failed(user, 1<<60, now, "keyboard not valid")), 200},
		{"unsubscribed", string(vbfake.Unsubscribed(user, 1<<60, now)), 200},
		{"malformed JSON", `{"event":"message","message_token":`, 400},
		{"token not a number", `{"event":"message","message_token":"x","sender":{"id":"` + user + `"},"message":{"type":"text","text":"12"}}`, 400},
		{"not an object", `"message"`, 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := e.KV.Snapshot()
			if st, b := e.deliver([]byte(tt.body)); st != tt.want {
				t.Errorf("status %d %s, want %d", st, b, tt.want)
			}
			if got := e.KV.Snapshot().Sub(before); got != (kv.Counts{}) {
				t.Errorf("KV ops %+v", got)
			}
		})
	}
	if calls := e.vb.Calls(); len(calls) != 0 {
		t.Errorf("API calls: %+v", calls)
	}
}

func TestViberNotConfigured(t *testing.T) {
	env := hosttest.Start(t, hosttest.Options{})
	body := vbfake.WebhookCallback(1, env.Clock.Now(), "SN")
	if code := deliver(t, env.URL+"/viber/webhook", body, vbfake.SignatureHeader, vbfake.Sign("", body)); code != 404 {
		t.Errorf("status %d, want 404", code)
	}
}

// TestViberRateLimited: status 12 (too many requests) on the picture
// answers 5xx so Viber retries; nothing is stored; the redelivery sends
// exactly one picture.
func TestViberRateLimited(t *testing.T) {
	e := startViber(t)
	u := e.user("cmF0ZWxpbWl0ZWQxMjM0NQ==", "uk")
	u.say(e.newMerchant("Shop"))
	msg := u.message("12,50")
	e.vb.FailNext("send_message", vbfake.StatusTooManyRequests, 1)
	before := e.KV.Snapshot()
	if st, _ := e.deliver(msg); st < 500 {
		t.Fatalf("status after status 12 = %d, want 5xx", st)
	}
	if got := e.KV.Snapshot().Sub(before); got.Puts != 0 || len(e.checkIDs()) != 0 {
		t.Fatalf("a failed send stored something: %+v", got)
	}
	e.Clock.Advance(3 * time.Second)
	u.send(msg)
	u.send(msg)
	if n := e.pictures(u.id); n != 1 {
		t.Errorf("pictures sent = %d, want 1", n)
	}
	if ids := e.checkIDs(); len(ids) != 1 {
		t.Errorf("checks %v, want 1", ids)
	}
}

// TestViberNoticePending: the expiry notice hits status 12, stays pending,
// and the next scheduled pass delivers it once.
func TestViberNoticePending(t *testing.T) {
	e := startViber(t)
	u := e.user("cGVuZGluZzEyMzQ1Njc4OQ==", "uk")
	u.say(e.newMerchant("Shop"))
	u.check("15")
	id := e.checkIDs()[0]

	e.Clock.Advance(31 * time.Minute)
	// the pass tries once, when it expires the check; what fails waits for
	// the next pass (core/checks/sweep.go)
	e.vb.FailNext("send_message", vbfake.StatusTooManyRequests, 1)
	if err := e.Scheduled(t.Context()); err != nil {
		t.Fatalf("scheduled pass: %v", err)
	}
	st := e.checkState(id)
	if st.Status != "expired" || len(st.Pending) != 1 || st.Pending[0].Kind != "expired" {
		t.Fatalf("after a refused notice: %+v; want expired with the notice pending", st)
	}
	u.wantNotices()

	e.Clock.Advance(checks.ClaimLease) // the failed send's claim lapses
	if err := e.Scheduled(t.Context()); err != nil {
		t.Fatalf("scheduled pass: %v", err)
	}
	if st := e.checkState(id); len(st.Pending) != 0 || len(st.Notified) != 1 {
		t.Fatalf("after the retry: %+v; want the notice delivered", st)
	}
	e.Clock.Advance(time.Minute)
	if err := e.Scheduled(t.Context()); err != nil {
		t.Fatal(err)
	}
	u.wantNotices("Час вийшов")
}
