package telegram

import (
	"encoding/json"
	"testing"

	"github.com/mymmrac/telego"

	"github.com/paylastic/edge/core/bot"
)

func TestEvent(t *testing.T) {
	tests := []struct {
		name, body string
		ok         bool
		kind       bot.Kind
		text       string
	}{
		{"start", `{"message":{"message_id":3,"from":{"id":7,"first_name":"A","language_code":"en"},"chat":{"id":7,"type":"private"},"date":1764151200,"text":"/start"}}`, true, bot.Start, ""},
		{"deep link", `{"message":{"message_id":3,"from":{"id":7,"first_name":"A"},"chat":{"id":7,"type":"private"},"date":1,"text":"/start ABCD-EFGH-JK"}}`, true, bot.Start, "ABCD-EFGH-JK"},
		{"start@bot", `{"message":{"message_id":3,"from":{"id":7,"first_name":"A"},"chat":{"id":7,"type":"private"},"date":1,"text":"/start@paylastic_bot"}}`, true, bot.Start, ""},
		{"starter is text", `{"message":{"message_id":3,"from":{"id":7,"first_name":"A"},"chat":{"id":7,"type":"private"},"date":1,"text":"/starter"}}`, true, bot.Text, "/starter"},
		{"amount", `{"message":{"message_id":3,"from":{"id":7,"first_name":"A"},"chat":{"id":7,"type":"private"},"date":1,"text":"12,50"}}`, true, bot.Text, "12,50"},
		{"supergroup", `{"message":{"message_id":3,"from":{"id":7,"first_name":"A"},"chat":{"id":-1001,"type":"supergroup"},"date":1,"text":"12"}}`, false, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var u telego.Update
			if err := json.Unmarshal([]byte(tt.body), &u); err != nil {
				t.Fatal(err)
			}
			ev, _, ok := event(&u, t0, textField([]byte(tt.body)))
			if ok != tt.ok || (ok && (ev.Kind != tt.kind || ev.Text != tt.text)) {
				t.Fatalf("event = %+v, %v; want kind %v text %q ok %v", ev, ok, tt.kind, tt.text, tt.ok)
			}
			if ok && (ev.Identity != "telegram:7:3" || ev.UserID != "7" || ev.ChatID != "7" || ev.Messenger != "telegram") {
				t.Errorf("event ids %+v", ev)
			}
		})
	}
}

// FuzzUpdate: no body makes parsing or mapping panic, and every event
// that comes out names its user and, for messages, its message.
func FuzzUpdate(f *testing.F) {
	for _, s := range []string{
		`{"update_id":1,"message":{"message_id":1,"from":{"id":7,"first_name":"A"},"chat":{"id":7,"type":"private"},"date":1,"text":"12"}}`,
		`{"update_id":1,"callback_query":{"id":"q","from":{"id":7,"first_name":"A"},"message":{"message_id":7,"date":0,"chat":{"id":7,"type":"private"}},"chat_instance":"c","data":"cancel:x"}}`,
		`{"update_id":1,"callback_query":{"id":"q","from":{"id":7},"inline_message_id":"i"}}`,
		`{"message":{"text":""}}`, `{}`, `[]`, `null`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var u telego.Update
		if json.Unmarshal(body, &u) != nil {
			return
		}
		ev, to, ok := event(&u, t0, textField(body))
		if !ok {
			return
		}
		if to == nil || ev.UserID == "" || ev.Identity == "" {
			t.Fatalf("event %+v to %+v from %s", ev, to, body)
		}
	})
}
