package viber

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/paylastic/edge/core/bot"
	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/ids"
	"github.com/paylastic/edge/core/merchant"
	"github.com/paylastic/edge/core/text"
	vbfake "github.com/paylastic/edge/fakes/viber"
	"github.com/paylastic/edge/internal/testsupport"
)

// TestSignature: only a body signed with the auth token is read; anything
// else is 403 with no KV operation and no API call.
func TestSignature(t *testing.T) {
	body := vbfake.MessageCallback(userID, "Оля", "uk", "/start", firstToken, testsupport.T0, "")
	right := vbfake.Sign(token, body)
	tests := []struct {
		name, sig string
		want      int
	}{
		{"missing", "", 403},
		{"not hex", "zz" + right[2:], 403},
		{"truncated", right[:62], 403},
		{"longer", right + "00", 403},
		{"other token", vbfake.Sign(token+"x", body), 403},
		{"other body", vbfake.Sign(token, append([]byte(" "), body...)), 403},
		{"one bit off", flip(right), 403},
		{"the token itself", token, 403},
		{"upper-case hex", strings.ToUpper(right), 200},
		{"right", right, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t)
			before := r.kv.Snapshot()
			rec := r.post(tt.sig, body)
			if rec.Code != tt.want {
				t.Fatalf("status = %d, want %d", rec.Code, tt.want)
			}
			calls := len(r.fake.Calls())
			if tt.want == 403 && (calls != 0 || r.kv.Snapshot() != before) {
				t.Errorf("rejected callback made %d API calls and KV ops %+v", calls, r.kv.Snapshot().Sub(before))
			}
			if tt.want == 200 && calls != 1 {
				t.Errorf("accepted /start made %d calls, want 1", calls)
			}
		})
	}
	t.Run("no token configured", func(t *testing.T) {
		r := newRig(t)
		r.hook.Token = ""
		if rec := r.post(vbfake.Sign("", body), body); rec.Code != 403 {
			t.Errorf("status = %d, want 403", rec.Code)
		}
	})
}

func flip(sig string) string {
	b, _ := hex.DecodeString(sig)
	b[len(b)-1] ^= 1
	return hex.EncodeToString(b)
}

// TestCallbackTypes: every signed body gets a deliberate answer; what the
// bot does not handle is acknowledged and changes nothing.
func TestCallbackTypes(t *testing.T) {
	const sender = `"sender":{"id":"` + userID + `","name":"Оля","language":"uk"}`
	tests := []struct {
		name  string
		body  string
		want  int
		sends int // send_message calls
	}{
		{"webhook check", string(vbfake.WebhookCallback(5753750845017966998, testsupport.T0, "SN-CHAT-03_")), 200, 0},
		{"subscribed", string(vbfake.Subscribed(userID, "Оля", "uk", firstToken, testsupport.T0)), 200, 0},
		{"unsubscribed", string(vbfake.Unsubscribed(userID, firstToken, testsupport.T0)), 200, 0},
		{"delivered", string(vbfake.Delivered(userID, firstToken, testsupport.T0)), 200, 0},
		{"seen", string(vbfake.Seen(userID, firstToken, testsupport.T0)), 200, 0},
		{"failed", string(vbfake.Failed(userID, firstToken, testsupport.T0, "keyboard is not valid")), 200, 0},
		{"unknown type", `{"event":"client_status","timestamp":1,"message_token":7,"user_id":"` + userID + `"}`, 200, 0},
		{"no event", `{"timestamp":1}`, 200, 0},
		{"null", `null`, 200, 0},
		{"empty object", `{}`, 200, 0},
		{"message without sender", `{"event":"message","timestamp":1,"message_token":7,"message":{"type":"text","text":"12"}}`, 200, 0},
		{"message without token", `{"event":"message","timestamp":1,` + sender + `,"message":{"type":"text","text":"12"}}`, 200, 0},
		{"user id too long", `{"event":"message","timestamp":1,"message_token":7,"sender":{"id":"` + strings.Repeat("A", 200) + `"},"message":{"type":"text","text":"12"}}`, 200, 0},
		{"conversation without user", `{"event":"conversation_started","timestamp":1,"message_token":7}`, 200, 0},
		{"sticker", string(vbfake.MessageEvent(vbfake.User{ID: userID, Name: "Оля", Language: "uk"}, vbfake.InMessage{Type: "sticker", StickerID: 40100}, firstToken, testsupport.T0)), 200, 1},
		{"contact", string(vbfake.MessageEvent(vbfake.User{ID: userID}, vbfake.InMessage{Type: "contact", Contact: &vbfake.Contact{Name: "O", PhoneNumber: "380501234567"}}, firstToken, testsupport.T0)), 200, 1},
		{"not JSON", `{"event":`, 400, 0},
		{"array", `[]`, 400, 0},
		{"token as string", `{"event":"message","message_token":"4912661846655238145",` + sender + `}`, 400, 0},
		{"token as float", `{"event":"message","message_token":4.912661846655238e18,` + sender + `}`, 400, 0},
		{"negative token", `{"event":"message","message_token":-1,` + sender + `}`, 400, 0},
		{"token above 2^64", `{"event":"message","message_token":18446744073709551616,` + sender + `}`, 400, 0},
		{"event not a string", `{"event":7}`, 400, 0},
		{"huge", `{"event":"message","message":{"text":"` + strings.Repeat("x", 70_000) + `"}}`, 400, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t)
			before := r.kv.Snapshot()
			rec := r.post(vbfake.Sign(token, []byte(tt.body)), []byte(tt.body))
			if rec.Code != tt.want {
				t.Fatalf("status = %d %s, want %d\nlogs:\n%s", rec.Code, rec.Body, tt.want, r.logs)
			}
			if n := len(r.calls("send_message")); n != tt.sends {
				t.Errorf("send_message calls = %d, want %d", n, tt.sends)
			}
			if tt.sends == 0 && r.kv.Snapshot() != before {
				t.Errorf("KV ops %+v, want none", r.kv.Snapshot().Sub(before))
			}
			if tt.want == 200 && tt.sends == 0 && rec.Body.Len() != 0 {
				t.Errorf("answer body %q, want none", rec.Body)
			}
		})
	}
}

// TestWalk records the wire payloads of the operator's path, in both
// languages: conversation_started, the code, «Створити чек», an amount, the
// cancel key, «Мої чеки», and a notification.
func TestWalk(t *testing.T) {
	for _, lang := range []string{"uk", "en-US"} {
		t.Run(lang, func(t *testing.T) {
			r := newRig(t)
			tr := r.transcript()
			rec := tr.do("conversation_started", r.started(lang, ""))
			if rec.Header().Get("Content-Type") != "application/json" || len(r.calls("send_message")) != 0 {
				t.Errorf("welcome: %s %s, %d calls", rec.Header().Get("Content-Type"), rec.Body, len(r.calls("")))
			}
			tr.do("the activation code", r.message(r.code, lang))
			tr.do("press new", r.message("new", lang))
			tr.do("12,50", r.message("12,50", lang))
			msgs := r.sent()
			pic, details := msgs[len(msgs)-2], msgs[len(msgs)-1]
			if pic.Type != "picture" || !strings.HasSuffix(pic.Media, "/qr.png") || !strings.Contains(details.Text, strings.TrimSuffix(pic.Media, "/qr.png")) {
				t.Errorf("picture %+v then %+v; want the QR by URL, then its link", pic, details)
			}
			tr.do("press the cancel key", r.message(cancelBody(t, details), lang))
			tr.do("press the cancel key again", r.message(cancelBody(t, details), lang))
			tr.do("press list", r.message("list", lang))
			tr.do("press help", r.message("help", lang))

			chk, err := r.svc.Lookup(context.Background(), r.operator(), strings.TrimPrefix(cancelBody(t, details), bot.CancelPrefix))
			if err != nil {
				t.Fatal(err)
			}
			if err := r.svc.Notifier.Notify(context.Background(), chk, check.Notice{Kind: check.NoticePaid, At: testsupport.T0}); err != nil {
				t.Fatal(err)
			}
			calls := r.fake.Calls()
			tr.b.WriteString(">>> notification: paid\nPOST send_message\n" + indent(t, calls[len(calls)-1].Request) + "\n")
			testsupport.Golden(t, "walk."+text.Lang(lang), tr.b.String())
		})
	}
}

// TestWelcome: a stranger opening the chat gets the greeting as the answer,
// without the operator's keyboard; a deep link's context is an activation
// code, and its answer, to an operator now, has the keyboard.
func TestWelcome(t *testing.T) {
	r := newRig(t)
	rec := r.send(r.started("uk", ""), 200)
	var m Message
	if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	if m.Receiver != "" || m.Sender.Name == "" || m.Type != "text" || !strings.Contains(m.Text, "код активації") || m.Keyboard != nil {
		t.Errorf("welcome %+v", m)
	}
	if len(r.calls("")) != 0 {
		t.Errorf("API calls %+v, want none: the welcome is the answer", r.calls(""))
	}

	rec = r.send(r.started("en", r.code), 200)
	if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(m.Text, "You are now an owner") || m.Keyboard == nil || len(m.Keyboard.Buttons) != len(bot.OwnerKeyboard("en")) { // the first code is an owner's
		t.Errorf("deep-link welcome %q with keyboard %+v", m.Text, m.Keyboard)
	}
	if _, err := r.hook.Bot.Merchants.Operator(context.Background(), Messenger, userID); err != nil {
		t.Errorf("not an operator after the deep link: %v", err)
	}
}

func (r *rig) operator() merchant.Operator {
	r.t.Helper()
	op, err := r.hook.Bot.Merchants.Operator(context.Background(), Messenger, userID)
	if err != nil {
		r.t.Fatal(err)
	}
	return op
}

// TestRedelivery: Viber delivering the same message again creates no
// second check, sends no second picture and writes nothing.
func TestRedelivery(t *testing.T) {
	r := newRig(t)
	r.activate("uk")
	msg := r.message("99", "uk")
	r.send(msg, 200)
	before, sent := r.kv.Snapshot(), len(r.sent())
	r.now = r.now.Add(20 * time.Second)
	r.send(msg, 200)
	r.send(msg, 200)
	if got := r.kv.Snapshot().Sub(before); got.Puts != 0 {
		t.Errorf("redeliveries wrote %+v", got)
	}
	if n := len(r.sent()) - sent; n != 0 {
		t.Errorf("redeliveries sent %d messages", n)
	}
}

// TestBigTokens: message tokens that float64 cannot tell apart make two
// checks, each with the id derived from the exact token.
func TestBigTokens(t *testing.T) {
	r := newRig(t)
	r.activate("uk")
	toks := []uint64{1<<53 + 1, 1 << 53, 18446744073709551615}
	if float64(toks[0]) != float64(toks[1]) {
		t.Fatal("the tokens should collide in float64")
	}
	for i, tok := range toks {
		r.send(vbfake.MessageCallback(userID, "Оля", "uk", "1"+strings.Repeat("0", i), tok, r.now, ""), 200)
	}
	op := r.operator()
	sums, err := r.svc.Recent(context.Background(), op, []time.Time{r.now}, 10)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, s := range sums {
		got[s.Check.ID] = true
	}
	for _, tok := range toks {
		cb := Callback{MessageToken: tok}
		id := ids.Encode(ids.Derive(r.signer.Key(), check.IDBytes, "check", cb.Identity(userID)))
		if !got[id] {
			t.Errorf("no check with the id of token %d (%s); have %v", tok, cb.Identity(userID), got)
		}
	}
	if len(got) != len(toks) {
		t.Errorf("checks %v, want %d", got, len(toks))
	}
}

// TestRateLimited: status 12 on the picture answers 5xx so Viber retries;
// nothing is stored; the redelivery sends exactly one picture.
func TestRateLimited(t *testing.T) {
	r := newRig(t)
	r.activate("uk")
	msg := r.message("12,50", "uk")
	r.fake.FailNext("send_message", vbfake.StatusTooManyRequests, 1)
	before := r.kv.Snapshot()
	if rec := r.post(vbfake.Sign(token, msg), msg); rec.Code < 500 {
		t.Fatalf("status after status 12 = %d, want 5xx", rec.Code)
	}
	if got := r.kv.Snapshot().Sub(before); got.Puts != 0 {
		t.Fatalf("a failed send stored something: %+v", got)
	}
	r.now = r.now.Add(3 * time.Second)
	r.send(msg, 200)
	r.send(msg, 200)
	var pictures int
	for _, m := range r.sent() {
		if m.Type == "picture" {
			pictures++
		}
	}
	if pictures != 1 {
		t.Errorf("pictures sent = %d, want 1", pictures)
	}
}

// TestRefused: a reply Viber refuses for good is logged and answered 200.
func TestRefused(t *testing.T) {
	r := newRig(t)
	r.fake.FailNext("send_message", vbfake.StatusReceiverNotSubscribed, 1)
	r.send(r.message("/start", "uk"), 200)
	if !strings.Contains(r.logs.String(), "reply refused") {
		t.Errorf("logs:\n%s", r.logs)
	}
}

// TestDetailsLost: when the check's details fail after its picture went
// out, the check is still saved, so a redelivery sends nothing again.
func TestDetailsLost(t *testing.T) {
	r := newRig(t)
	r.activate("uk")
	var n int
	r.hook.Client.HTTP = &http.Client{Transport: testsupport.RoundTripFunc(func(req *http.Request) (*http.Response, error) {
		if n++; n == 2 {
			return nil, errNetwork
		}
		return r.api.Client().Transport.RoundTrip(req)
	})}
	msg := r.message("12,50", "uk")
	r.send(msg, 200)
	r.send(msg, 200)
	if msgs := r.sent(); len(msgs) != 2 || msgs[1].Type != "picture" {
		t.Errorf("messages %+v; want the activation answer and one picture", msgs)
	}
	if sums, _ := r.svc.Recent(context.Background(), r.operator(), []time.Time{r.now}, 10); len(sums) != 1 {
		t.Errorf("checks %d, want 1", len(sums))
	}
}

// TestStorageDown: a conversation that cannot read storage answers 503.
func TestStorageDown(t *testing.T) {
	r := newRig(t)
	r.hook.Bot.Merchants.KV = failing{}
	msg := r.message("12", "uk")
	if rec := r.post(vbfake.Sign(token, msg), msg); rec.Code != 503 {
		t.Errorf("status = %d, want 503", rec.Code)
	}
	// a button press still tells the operator to try later
	msg = r.message("cancel:abc", "uk")
	if rec := r.post(vbfake.Sign(token, msg), msg); rec.Code != 503 || !strings.Contains(r.last().Text, "Тимчасова помилка") {
		t.Errorf("status = %d, last message %q", rec.Code, r.last().Text)
	}
}

// TestPicturesByURL: a Viber chat tells the bot not to draw the QR code.
func TestPicturesByURL(t *testing.T) {
	r := newRig(t)
	r.activate("uk")
	var got []bot.Reply
	rec := recording{chat: &chat{c: r.hook.Client, to: userID}, got: &got}
	ev := bot.Event{Kind: bot.Text, Messenger: Messenger, UserID: userID, ChatID: userID, Lang: "uk", Text: "15", Identity: "viber:x:1", At: r.now}
	if err := r.hook.Bot.Handle(context.Background(), ev, rec); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Picture == nil || got[0].Picture.PNG != nil || got[0].Picture.URL == "" {
		t.Errorf("replies %+v; want a picture by URL without PNG", got)
	}
}

// TestLateRedelivery: Viber retries an unanswered callback for up to an
// hour. A message handled once (the answer lost) and delivered again more
// than 10 minutes later creates nothing new and sends nothing: the check it
// made is found before the message's age is looked at.
func TestLateRedelivery(t *testing.T) {
	r := newRig(t)
	r.activate("uk")
	msg := r.message("99", "uk")
	r.send(msg, 200)
	sent := len(r.sent())
	r.now = r.now.Add(15 * time.Minute)
	r.send(msg, 200)
	if n := len(r.sent()) - sent; n != 0 {
		t.Errorf("a late redelivery sent %d messages", n)
	}
}
