package viber

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"
)

func TestSign(t *testing.T) {
	tests := []struct {
		name, key, body, want string
	}{
		// RFC 4231 test case 2.
		{"RFC 4231 case 2", "Jefe", "what do ya want for nothing?", "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
		// The webhook check body from the spec, signed with openssl:
		// printf '%s' "$body" | openssl dgst -sha256 -hmac "$token"
		{"webhook check", testToken, `{"event":"webhook","timestamp":1663858877101,"chat_hostname":"SN-CHAT-03_","message_token":5753750845017966998}`,
			"b670052cf9a071d831721942642d8e55b52009f75c842d63a724af6a8c9b86b0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Sign(tt.key, []byte(tt.body)); got != tt.want {
				t.Errorf("Sign: got %s, want %s", got, tt.want)
			}
		})
	}
	t.Run("matches crypto/hmac", func(t *testing.T) {
		body := MessageCallback("u1", "Оксана", "uk", "12,50", 5741311803571721087, time.UnixMilli(1457764197627), "s")
		mac := hmac.New(sha256.New, []byte(testToken))
		mac.Write(body)
		want := mac.Sum(nil)
		got, err := hex.DecodeString(Sign(testToken, body))
		if err != nil || !hmac.Equal(got, want) {
			t.Errorf("Sign: got %x (%v), want %x", got, err, want)
		}
	})
}

func TestCallbackShapes(t *testing.T) {
	ts := time.UnixMilli(1457764197627)
	const tok uint64 = 4912661846655238145
	tests := []struct {
		name string
		body []byte
		want map[string]string // JSON pointer-ish path -> value as text
	}{
		{"message", MessageCallback("u1=", "Оксана", "uk", "/pay", tok, ts, "order:42"), map[string]string{
			"event": "message", "timestamp": "1457764197627", "message_token": "4912661846655238145",
			"sender.id": "u1=", "sender.name": "Оксана", "sender.language": "uk", "sender.api_version": "10",
			"message.type": "text", "message.text": "/pay", "message.tracking_data": "order:42", "silent": "false"}},
		{"contact message", MessageEvent(User{ID: "u1="}, InMessage{Type: "contact", Contact: &Contact{Name: "O", PhoneNumber: "380501234567"}}, tok, ts), map[string]string{
			"event": "message", "message.type": "contact", "message.contact.phone_number": "380501234567"}},
		{"conversation_started", ConversationStarted("u1=", "O", "uk", "inv-42", false, tok, ts), map[string]string{
			"event": "conversation_started", "type": "open", "context": "inv-42", "user.id": "u1=", "subscribed": "false", "message_token": "4912661846655238145"}},
		{"subscribed", Subscribed("u1=", "O", "uk", tok, ts), map[string]string{
			"event": "subscribed", "user.id": "u1=", "user.name": "O", "timestamp": "1457764197627"}},
		{"unsubscribed", Unsubscribed("u1=", tok, ts), map[string]string{"event": "unsubscribed", "user_id": "u1="}},
		{"delivered", Delivered("u1=", tok, ts), map[string]string{"event": "delivered", "user_id": "u1=", "message_token": "4912661846655238145"}},
		{"seen", Seen("u1=", tok, ts), map[string]string{"event": "seen", "user_id": "u1="}},
		{"failed", Failed("u1=", tok, ts, "keyboard not valid"), map[string]string{"event": "failed", "user_id": "u1=", "desc": "keyboard not valid"}},
		{"webhook", WebhookCallback(5753750845017966998, time.UnixMilli(1663858877101), "SN-CHAT-03_"), map[string]string{
			"event": "webhook", "timestamp": "1663858877101", "chat_hostname": "SN-CHAT-03_", "message_token": "5753750845017966998"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := json.NewDecoder(bytes.NewReader(tt.body))
			d.UseNumber()
			var m map[string]any
			if err := d.Decode(&m); err != nil {
				t.Fatalf("decode %s: %v", tt.body, err)
			}
			for path, want := range tt.want {
				if got := lookup(m, path); got != want {
					t.Errorf("%s: got %q, want %q in %s", path, got, want, tt.body)
				}
			}
		})
	}
}

// lookup returns the value at a dotted path as text.
func lookup(m map[string]any, path string) string {
	var v any = m
	for key := range bytes.SplitSeq([]byte(path), []byte(".")) {
		obj, _ := v.(map[string]any)
		v = obj[string(key)]
	}
	switch v := v.(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	case bool:
		return strconv.FormatBool(v)
	case nil:
		return "<missing>"
	}
	return "<other>"
}

// bot is a webhook that checks signatures and answers welcome when it
// gets conversation_started.
type bot struct {
	*httptest.Server
	welcome string
	got     [][]byte
	badSig  int
}

func newBot(t *testing.T, welcome string) *bot {
	b := &bot{welcome: welcome}
	b.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if r.Header.Get(SignatureHeader) != Sign(testToken, body) || r.Header.Get("Content-Type") != "application/json" {
			b.badSig++
			w.WriteHeader(http.StatusForbidden)
			return
		}
		b.got = append(b.got, body)
		var ev struct{ Event string }
		json.Unmarshal(body, &ev)
		if ev.Event == "conversation_started" {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, b.welcome)
		}
	}))
	t.Cleanup(b.Close)
	return b
}

func TestDeliver(t *testing.T) {
	ctx := context.Background()
	ts := time.UnixMilli(1457764197627)
	f := newFake(t)
	f.RequireSubscribed = true
	welcome := `{"type":"text","text":"Вітаю","sender":{"name":"PayBot"},"tracking_data":"state:start","keyboard":{"Type":"keyboard","Buttons":[{"ActionType":"reply","ActionBody":"/pay","Text":"Pay"}]}}`
	b := newBot(t, welcome)
	url := b.URL + "/viber/webhook"

	if _, err := f.Deliver(ctx, nil, "", Seen("u1", 1, ts)); !errors.Is(err, ErrNoWebhook) {
		t.Errorf("Deliver without a webhook: got %v, want ErrNoWebhook", err)
	}

	resp, err := f.Deliver(ctx, b.Client(), url, ConversationStarted("u1", "O", "uk", "", false, 1, ts))
	if err != nil {
		t.Fatal(err)
	}
	if body, _ := io.ReadAll(resp.Body); string(body) != welcome {
		t.Errorf("response body: got %s, want the welcome message", body)
	}
	resp.Body.Close()
	msgs := f.Messages("u1")
	if len(msgs) != 1 || !msgs[0].Welcome || msgs[0].Text != "Вітаю" || msgs[0].TrackingData != "state:start" || msgs[0].Keyboard == nil {
		t.Fatalf("Messages after conversation_started: got %+v, want the welcome message", msgs)
	}
	if f.IsSubscribed("u1") {
		t.Errorf("subscribed after conversation_started with subscribed false")
	}
	if a := f.send(t, textBody("u1", "hi")); a.status() != "6" {
		t.Errorf("send before subscribing: got %s, want status 6", a.Raw)
	}

	f.post(t, "set_webhook", testToken, `{"url":"`+url+`"}`)
	if _, err := f.Deliver(ctx, b.Client(), "", MessageCallback("u1", "O", "uk", "hi", 2, ts, "")); err != nil {
		t.Fatal(err)
	}
	if !f.IsSubscribed("u1") {
		t.Errorf("not subscribed after a message")
	}
	if a := f.send(t, textBody("u1", "hi")); a.status() != "0" {
		t.Errorf("send after a message: got %s, want status 0", a.Raw)
	}
	if _, err := f.Deliver(ctx, b.Client(), "", Unsubscribed("u1", 3, ts)); err != nil {
		t.Fatal(err)
	}
	if a := f.send(t, textBody("u1", "bye")); a.status() != "6" {
		t.Errorf("send after unsubscribed: got %s, want status 6", a.Raw)
	}
	if b.badSig != 0 || len(b.got) != 3 {
		t.Errorf("bot: got %d callbacks and %d bad signatures, want 3 and 0", len(b.got), b.badSig)
	}
}

func TestDeliverInvalidWelcome(t *testing.T) {
	f := newFake(t)
	b := newBot(t, `{"type":"text","text":"no sender"}`)
	resp, err := f.Deliver(context.Background(), b.Client(), b.URL, ConversationStarted("u1", "O", "uk", "", false, 1, time.Now()))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := f.Messages("u1"); len(got) != 0 {
		t.Errorf("Messages: got %d, want none", len(got))
	}
	calls := f.Calls()
	if len(calls) != 1 || calls[0].Method != "welcome" || calls[0].Status != StatusMissingData {
		t.Errorf("Calls: got %+v, want one welcome call with status 4", calls)
	}
	if got, none := f.CallsOf("welcome"), f.CallsOf("send_message"); len(got) != 1 || len(none) != 0 {
		t.Errorf("CallsOf: %d welcome, %d send_message; want 1 and none", len(got), len(none))
	}
}
