package telegram

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/mymmrac/telego"

	"github.com/paylastic/edge/core/bot"
	"github.com/paylastic/edge/internal/testsupport"
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
			var u update
			if err := json.Unmarshal([]byte(tt.body), &u); err != nil {
				t.Fatal(err)
			}
			ev, _, ok := event(&u, testsupport.T0)
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
		var u update
		if json.Unmarshal(body, &u) != nil {
			return
		}
		ev, to, ok := event(&u, testsupport.T0)
		if !ok {
			return
		}
		if to == nil || ev.UserID == "" || ev.Identity == "" {
			t.Fatalf("event %+v to %+v from %s", ev, to, body)
		}
	})
}

// TestWireMatchesTelego: the few fields the webhook decodes itself (wire.go)
// read the same as telego's types do, on every kind of update the bot
// meets, telego being the reference for the Bot API's shapes.
func TestWireMatchesTelego(t *testing.T) {
	bodies := []string{
		`{"update_id":1,"message":{"message_id":3,"from":{"id":7,"is_bot":false,"first_name":"Оля","last_name":"К","username":"olya","language_code":"uk"},"chat":{"id":7,"type":"private"},"date":1764151200,"text":"12,50"}}`,
		`{"update_id":2,"message":{"message_id":4,"from":{"id":8,"is_bot":true,"first_name":"B"},"chat":{"id":-100,"type":"supergroup"},"date":1,"text":"x"}}`,
		`{"update_id":3,"message":{"message_id":5,"from":{"id":7,"first_name":"A"},"chat":{"id":7,"type":"private"},"date":2,"sticker":{"file_id":"s","file_unique_id":"u","type":"regular","width":1,"height":1,"is_animated":false,"is_video":false}}}`,
		`{"update_id":4,"message":{"message_id":6,"from":{"id":7,"first_name":"A"},"chat":{"id":7,"type":"private"},"date":3,"photo":[{"file_id":"p","file_unique_id":"u","width":1,"height":1}],"caption":"c"}}`,
		`{"update_id":5,"message":{"message_id":7,"from":{"id":7,"first_name":"A"},"chat":{"id":7,"type":"private"},"date":4,"pinned_message":{"message_id":1,"chat":{"id":7,"type":"private"},"date":0}}}`,
		`{"update_id":6,"callback_query":{"id":"q1","from":{"id":7,"first_name":"A","language_code":"en"},"message":{"message_id":9,"chat":{"id":7,"type":"private"},"date":5,"photo":[{"file_id":"p","file_unique_id":"u","width":1,"height":1}]},"chat_instance":"c","data":"cancel:x"}}`,
		`{"update_id":7,"callback_query":{"id":"q2","from":{"id":7,"first_name":"A"},"message":{"message_id":9,"chat":{"id":7,"type":"private"},"date":0},"chat_instance":"c","data":"list"}}`,
		`{"update_id":8,"callback_query":{"id":"q3","from":{"id":7,"first_name":"A"},"inline_message_id":"i","chat_instance":"c","data":"x"}}`,
		`{"update_id":9,"edited_message":{"message_id":3,"from":{"id":7,"first_name":"A"},"chat":{"id":7,"type":"private"},"date":1,"edit_date":2,"text":"13"}}`,
		`{"update_id":10,"message":{"message_id":11,"from":{"id":7,"first_name":"A"},"chat":{"id":7,"type":"private"},"date":6,"text":""}}`,
	}
	for _, body := range bodies {
		var ours update
		var ref telego.Update
		if err := json.Unmarshal([]byte(body), &ours); err != nil {
			t.Fatalf("ours: %v: %s", err, body)
		}
		if err := json.Unmarshal([]byte(body), &ref); err != nil {
			t.Fatalf("telego: %v: %s", err, body)
		}
		t.Run(fmt.Sprint(ref.UpdateID), func(t *testing.T) {
			if got, want := wireOf(ours), telegoOf(ref, body); got != want {
				t.Errorf("ours   %s\ntelego %s", got, want)
			}
		})
	}
}

// wireOf and telegoOf print what event reads of an update.
func wireOf(u update) string {
	s := fmt.Sprintf("id=%d", u.UpdateID)
	if m := u.Message; m != nil {
		s += fmt.Sprintf(" msg=%d chat=%d/%s date=%d text=%v content=%v", m.MessageID, m.Chat.ID, m.Chat.Type, m.Date, m.Text != nil, hasContent(m))
		if m.Text != nil {
			s += " " + *m.Text
		}
		if f := m.From; f != nil {
			s += fmt.Sprintf(" from=%d/%v/%s/%s", f.ID, f.IsBot, name(f), f.LanguageCode)
		}
	}
	if q := u.CallbackQuery; q != nil {
		s += fmt.Sprintf(" cb=%s data=%s from=%d/%s/%s", q.ID, q.Data, q.From.ID, name(&q.From), q.From.LanguageCode)
		if m := q.Message; m != nil {
			s += fmt.Sprintf(" cbmsg=%d chat=%d photo=%v", m.MessageID, m.Chat.ID, m.Date == 0 || len(m.Photo) > 0)
		}
	}
	return s
}

func telegoOf(u telego.Update, body string) string {
	s := fmt.Sprintf("id=%d", u.UpdateID)
	if m := u.Message; m != nil {
		content := m.Sticker != nil || len(m.Photo) > 0 || m.Document != nil || m.Animation != nil ||
			m.Voice != nil || m.Video != nil || m.VideoNote != nil || m.Audio != nil ||
			m.Contact != nil || m.Location != nil || m.Caption != ""
		hasText := strings.Contains(body, `"text":`)
		s += fmt.Sprintf(" msg=%d chat=%d/%s date=%d text=%v content=%v", m.MessageID, m.Chat.ID, m.Chat.Type, m.Date, hasText, content)
		if hasText {
			s += " " + m.Text
		}
		if f := m.From; f != nil {
			s += fmt.Sprintf(" from=%d/%v/%s/%s", f.ID, f.IsBot, telegoName(f), f.LanguageCode)
		}
	}
	if q := u.CallbackQuery; q != nil {
		s += fmt.Sprintf(" cb=%s data=%s from=%d/%s/%s", q.ID, q.Data, q.From.ID, telegoName(&q.From), q.From.LanguageCode)
		switch m := q.Message.(type) {
		case *telego.Message:
			s += fmt.Sprintf(" cbmsg=%d chat=%d photo=%v", m.MessageID, m.Chat.ID, len(m.Photo) > 0)
		case *telego.InaccessibleMessage:
			s += fmt.Sprintf(" cbmsg=%d chat=%d photo=%v", m.MessageID, m.Chat.ID, true)
		}
	}
	return s
}

func telegoName(u *telego.User) string {
	return name(&user{FirstName: u.FirstName, LastName: u.LastName, Username: u.Username})
}
