package telegram

import (
	"bytes"
	"image/png"
	"strings"
	"testing"
	"time"
)

func TestWebhookSecret(t *testing.T) {
	tests := []struct {
		name, header string
		want         int
	}{
		{"missing", "", 401},
		{"wrong", "webhook-secret_2", 401},
		{"prefix", "webhook-secret", 401},
		{"longer", secret + "x", 401},
		{"right", secret, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t)
			before := r.kv.Snapshot()
			rec := r.post(tt.header, r.message("/start", "uk"))
			if rec.Code != tt.want {
				t.Fatalf("status = %d, want %d", rec.Code, tt.want)
			}
			calls := len(r.fake.Calls())
			if tt.want == 401 && (calls != 0 || r.kv.Snapshot() != before) {
				t.Errorf("rejected update made %d Bot API calls and KV ops %+v", calls, r.kv.Snapshot().Sub(before))
			}
			if tt.want == 200 && calls != 1 {
				t.Errorf("accepted /start made %d calls, want 1", calls)
			}
		})
	}
	t.Run("no secret configured", func(t *testing.T) {
		r := newRig(t)
		r.hook.Secret = ""
		if rec := r.post("", r.message("/start", "uk")); rec.Code != 401 {
			t.Errorf("status = %d, want 401", rec.Code)
		}
	})
}

// TestOddUpdates: nothing Telegram (or anyone with the secret) sends crashes
// the handler; what the bot does not handle is acknowledged and ignored;
// callbacks are always answered.
func TestOddUpdates(t *testing.T) {
	const from = `"from":{"id":777,"is_bot":false,"first_name":"A"}`
	const chat = `"chat":{"id":777,"type":"private"}`
	tests := []struct {
		name    string
		body    string
		want    int
		methods string // Bot API calls, in order
	}{
		{"not JSON", `{"update_id":`, 400, ""},
		{"array", `[]`, 400, ""},
		{"wrong type", `{"update_id":"x"}`, 400, ""},
		{"empty object", `{}`, 200, ""},
		{"only id", `{"update_id":5}`, 200, ""},
		{"edited message", `{"update_id":1,"edited_message":{"message_id":1,` + from + `,` + chat + `,"date":1,"edit_date":2,"text":"12"}}`, 200, ""},
		{"channel post", `{"update_id":1,"channel_post":{"message_id":1,"chat":{"id":-100123,"type":"channel"},"date":1,"text":"12"}}`, 200, ""},
		{"group message", `{"update_id":1,"message":{"message_id":1,` + from + `,"chat":{"id":-5,"type":"group"},"date":1,"text":"/start"}}`, 200, ""},
		{"from a bot", `{"update_id":1,"message":{"message_id":1,"from":{"id":9,"is_bot":true,"first_name":"B"},` + chat + `,"date":1,"text":"/start"}}`, 200, ""},
		{"no from", `{"update_id":1,"message":{"message_id":1,` + chat + `,"date":1,"text":"/start"}}`, 200, ""},
		{"service message", `{"update_id":1,"message":{"message_id":1,` + from + `,` + chat + `,"date":1,"pinned_message":{"message_id":2,"date":0,"chat":{"id":777,"type":"private"}}}}`, 200, ""},
		{"empty text", `{"update_id":1,"message":{"message_id":1,` + from + `,` + chat + `,"date":1,"text":""}}`, 200, "sendMessage"},
		{"sticker", `{"update_id":1,"message":{"message_id":1,` + from + `,` + chat + `,"date":1,"sticker":{"file_id":"s","file_unique_id":"u","type":"regular","width":1,"height":1,"is_animated":false,"is_video":false}}}`, 200, "sendMessage"},
		{"photo", `{"update_id":1,"message":{"message_id":1,` + from + `,` + chat + `,"date":1,"photo":[{"file_id":"p","file_unique_id":"u","width":1,"height":1}]}}`, 200, "sendMessage"},
		{"old callback", `{"update_id":1,"callback_query":{"id":"q1",` + from + `,"message":{"message_id":7,"date":0,` + chat + `},"chat_instance":"c","data":"cancel:abc"}}`, 200, "answerCallbackQuery"},
		{"inline callback", `{"update_id":1,"callback_query":{"id":"q1",` + from + `,"inline_message_id":"im","chat_instance":"c","data":"x"}}`, 200, "answerCallbackQuery"},
		{"callback without data", `{"update_id":1,"callback_query":{"id":"q1",` + from + `,"chat_instance":"c","game_short_name":"g"}}`, 200, "answerCallbackQuery"},
		{"callback in a group", `{"update_id":1,"callback_query":{"id":"q1",` + from + `,"message":{"message_id":7,"date":5,"chat":{"id":-5,"type":"group"},"text":"hi"},"chat_instance":"c","data":"cancel:x"}}`, 200, "answerCallbackQuery"},
		{"huge", `{"update_id":1,"message":{"text":"` + strings.Repeat("x", 70_000) + `"}}`, 400, ""},
		{"unknown update kind", `{"update_id":1,"message_reaction":{"chat":{"id":1,"type":"private"},"message_id":1,"date":1,"old_reaction":[],"new_reaction":[]}}`, 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t)
			rec := r.post(secret, tt.body)
			if rec.Code != tt.want {
				t.Fatalf("status = %d %s, want %d\nlogs: %s", rec.Code, rec.Body, tt.want, r.logs)
			}
			var got []string
			for _, c := range r.fake.Calls() {
				got = append(got, c.Method)
			}
			if strings.Join(got, ",") != tt.methods {
				t.Errorf("Bot API calls %v, want %q", got, tt.methods)
			}
		})
	}
}

// TestWalk is the cashier's day in both languages: start, activate, ask,
// create a check, see it listed, cancel it.
func TestWalk(t *testing.T) {
	tests := []struct {
		lang                            string
		greet, done, newCheck, ask      string
		caption, cancel, cancelled, ack string
	}{
		{"uk", "код активації", "Готово! Тепер ви власник «Кавʼярня Ранок»", "Створити чек", "Введіть суму", "Чек на 12,50 грн", "Скасувати", "скасовано", "Чек скасовано"},
		{"en-GB", "activation code", "Done! You are now an owner of “Кавʼярня Ранок”", "New check", "Enter the amount", "Check for UAH 12.50", "Cancel", "is cancelled", "Check cancelled"},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			r := newRig(t)
			r.send(r.message("/start", tt.lang), 200)
			if got := r.last().Plain; !strings.Contains(got, tt.greet) {
				t.Errorf("greeting %q, want it to contain %q", got, tt.greet)
			}
			r.activate(tt.lang)
			done := r.last()
			if !strings.Contains(done.Plain, tt.done) {
				t.Errorf("activation answer %q, want it to contain %q", done.Plain, tt.done)
			}
			if kb := string(done.ReplyMarkup); !strings.Contains(kb, `"keyboard":[[{"text":"`+tt.newCheck+`"}]`) || !strings.Contains(kb, `"is_persistent":true`) {
				t.Errorf("keyboard %s", kb)
			}
			r.send(r.message(tt.newCheck, tt.lang), 200)
			if got := r.last().Plain; !strings.Contains(got, tt.ask) {
				t.Errorf("button answer %q, want %q", got, tt.ask)
			}
			r.send(r.message("12,50", tt.lang), 200)
			pic := r.last()
			if pic.Photo == "" || !strings.Contains(pic.Caption, tt.caption) || !strings.Contains(pic.Caption, "https://pay.test/p/") {
				t.Fatalf("check message %+v", pic)
			}
			data, ok := r.fake.Photo(pic.Photo)
			if !ok {
				t.Fatal("photo bytes not uploaded")
			}
			if img, err := png.Decode(bytes.NewReader(data)); err != nil || img.Bounds().Dx() < 200 || img.Bounds().Dx() != img.Bounds().Dy() {
				t.Errorf("QR picture: %v", err)
			}
			if kb := string(pic.ReplyMarkup); !strings.Contains(kb, `"text":"`+tt.cancel+`"`) || !strings.Contains(kb, `"callback_data":"cancel:`) {
				t.Errorf("inline keyboard %s", kb)
			}
			photoCall := r.calls("sendPhoto")[0]
			if photoCall.Files[0].Name != "qr.png" || photoCall.Param("parse_mode") != "" {
				t.Errorf("sendPhoto upload %+v parse_mode %q", photoCall.Files[0], photoCall.Param("parse_mode"))
			}
			cb := photoCall.Param("reply_markup")
			i := strings.Index(cb, `cancel:`)
			dataCB := cb[i : i+strings.Index(cb[i:], `"`)]
			r.send(r.callback(dataCB, pic.ID, tt.lang), 200)
			edited := r.byID(pic.ID)
			if edited.Edits != 1 || !strings.Contains(edited.Plain, tt.cancelled) || edited.ReplyMarkup != nil {
				t.Errorf("after cancel the picture is %+v", edited)
			}
			answers := r.calls("answerCallbackQuery")
			if len(answers) != 1 || answers[0].Param("text") != tt.ack {
				t.Errorf("callback answers %+v", answers)
			}
		})
	}
}

// TestRedeliveredUpdate: the same update twice makes one check and one QR.
func TestRedeliveredUpdate(t *testing.T) {
	r := newRig(t)
	r.activate("uk")
	upd := r.message("12,50", "uk")
	before := r.kv.Snapshot()
	r.send(upd, 200)
	r.now = r.now.Add(time.Minute)
	r.send(upd, 200)
	if n := len(r.calls("sendPhoto")); n != 1 {
		t.Errorf("sendPhoto calls = %d, want 1", n)
	}
	if got := r.kv.Snapshot().Sub(before).Puts; got != 1 {
		t.Errorf("KV writes = %d, want 1", got)
	}
}

// TestFloodControlOnPicture: a 429 on sendPhoto answers 5xx and stores
// nothing; Telegram's redelivery then sends exactly one QR.
func TestFloodControlOnPicture(t *testing.T) {
	r := newRig(t)
	r.activate("uk")
	upd := r.message("12,50", "uk")
	before := r.kv.Snapshot()
	r.fake.FailNext("sendPhoto", 429, 7, 1)
	rec := r.post(secret, upd)
	if rec.Code < 500 {
		t.Fatalf("status after 429 = %d, want 5xx", rec.Code)
	}
	if got := r.kv.Snapshot().Sub(before).Puts; got != 0 {
		t.Errorf("KV writes after a failed send = %d, want 0", got)
	}
	if !strings.Contains(r.logs.String(), "retry after 7") {
		t.Errorf("429 not logged with retry_after:\n%s", r.logs)
	}
	r.send(upd, 200)
	r.send(upd, 200)
	ok := 0
	for _, c := range r.calls("sendPhoto") {
		if c.OK() {
			ok++
		}
	}
	if ok != 1 {
		t.Errorf("successful sendPhoto calls = %d, want 1", ok)
	}
	if got := r.kv.Snapshot().Sub(before).Puts; got != 1 {
		t.Errorf("KV writes = %d, want 1", got)
	}
}

func TestSendFailures(t *testing.T) {
	tests := []struct {
		name   string
		status int
		want   int
		log    string
	}{
		{"server error", 502, 503, "request failed\" status=503 err=\"try again later: telegram update 1001: send message: telegram sendMessage: 502 Bad Gateway"},
		{"flood", 429, 503, "request failed\" status=503 err=\"try again later: telegram update 1001: send message: telegram sendMessage: 429 Too Many Requests"},
		{"blocked", 403, 200, "telegram update dropped: reply refused\" update=1001 err=\"send message: telegram sendMessage: 403 Forbidden"},
		{"bad request", 400, 200, "telegram update dropped: reply refused\" update=1001 err=\"send message: telegram sendMessage: 400 Bad Request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t)
			r.fake.FailNext("sendMessage", tt.status, 3, 1)
			if rec := r.post(secret, r.message("/start", "uk")); rec.Code != tt.want {
				t.Errorf("status = %d, want %d", rec.Code, tt.want)
			}
			logs := r.logs.String()
			if !strings.Contains(logs, tt.log) || strings.Contains(logs, token) {
				t.Errorf("logs want %q and no token:\n%s", tt.log, logs)
			}
			if n := strings.Count(logs, "\n"); n != 1 {
				t.Errorf("the failure is logged %d times, want once:\n%s", n, logs)
			}
		})
	}
}

func TestNetworkErrorHidesToken(t *testing.T) {
	r := newRig(t)
	r.api.Close()
	if rec := r.post(secret, r.message("/start", "uk")); rec.Code != 503 {
		t.Errorf("status = %d, want 503", rec.Code)
	}
	if logs := r.logs.String(); strings.Contains(logs, token) || !strings.Contains(logs, "<token>") {
		t.Errorf("logs leak the token or lost the error:\n%s", logs)
	}
}

// TestCallbackAnsweredOnFailure: storage down still answers the button.
func TestCallbackAnsweredOnFailure(t *testing.T) {
	r := newRig(t)
	r.hook.Bot.Merchants.KV = failing{}
	if rec := r.post(secret, r.callback("cancel:x", 3, "uk")); rec.Code != 503 {
		t.Errorf("status = %d, want 503", rec.Code)
	}
	if a := r.calls("answerCallbackQuery"); len(a) != 1 || a[0].Param("text") == "" {
		t.Errorf("answers %+v, want one with a text", a)
	}
}
