package telegram

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/mymmrac/telego"

	"github.com/paylastic/edge/core/bot"
)

// event turns an update into a bot event and the chat to answer in. ok is
// false for updates the bot ignores: edited messages, channel posts,
// messages in groups or from bots, service messages. A callback query is
// always an event, whatever its message: it must be answered.
// hasText says whether the message had a "text" field, even an empty one.
func event(u *telego.Update, now time.Time, hasText func() bool) (ev bot.Event, to *chat, ok bool) {
	if q := u.CallbackQuery; q != nil {
		ev = bot.Event{
			Kind: bot.Callback, Messenger: Messenger, Data: q.Data,
			UserID: strconv.FormatInt(q.From.ID, 10), Name: name(&q.From), Lang: q.From.LanguageCode,
			Identity: "telegram:callback:" + q.ID, At: now,
		}
		to = &chat{id: q.From.ID, query: q.ID}
		// The message may be absent (inline mode), inaccessible (old: one of
		// our pictures, or gone) or, from odd JSON, a nil pointer.
		switch m := q.Message.(type) {
		case *telego.Message:
			if m != nil {
				to.id, to.msgID, to.photo = m.Chat.ID, m.MessageID, len(m.Photo) > 0
			}
		case *telego.InaccessibleMessage:
			if m != nil {
				to.id, to.msgID, to.photo = m.Chat.ID, m.MessageID, true
			}
		}
		ev.ChatID = strconv.FormatInt(to.id, 10)
		return ev, to, true
	}
	m := u.Message
	if m == nil || m.From == nil || m.From.IsBot || m.Chat.Type != telego.ChatTypePrivate {
		return ev, nil, false
	}
	ev = bot.Event{
		Kind: bot.Text, Messenger: Messenger, Text: m.Text,
		UserID: strconv.FormatInt(m.From.ID, 10), ChatID: strconv.FormatInt(m.Chat.ID, 10),
		Name: name(m.From), Lang: m.From.LanguageCode,
		Identity: "telegram:" + strconv.FormatInt(m.Chat.ID, 10) + ":" + strconv.Itoa(m.MessageID),
		At:       time.Unix(m.Date, 0).UTC(),
	}
	if m.Text == "" && !hasContent(m) && !hasText() {
		return ev, nil, false // a service message: a pin, a timer change…
	}
	if cmd, payload, _ := strings.Cut(strings.TrimSpace(m.Text), " "); cmd == "/start" || strings.HasPrefix(cmd, "/start@") {
		ev.Kind, ev.Text = bot.Start, strings.TrimSpace(payload)
	}
	return ev, &chat{id: m.Chat.ID}, true
}

// textField reports whether the update's message has a "text" field: an
// empty text is something typed (and answered), no text a service message.
func textField(body []byte) func() bool {
	return func() bool {
		var raw struct {
			Message *struct {
				Text *string `json:"text"`
			} `json:"message"`
		}
		return json.Unmarshal(body, &raw) == nil && raw.Message != nil && raw.Message.Text != nil
	}
}

// hasContent reports whether a message without text is something a person
// sent (a sticker, a picture…), which gets an answer.
func hasContent(m *telego.Message) bool {
	return m.Sticker != nil || len(m.Photo) > 0 || m.Document != nil || m.Animation != nil ||
		m.Voice != nil || m.Video != nil || m.VideoNote != nil || m.Audio != nil ||
		m.Contact != nil || m.Location != nil || m.Caption != ""
}

func name(u *telego.User) string {
	n := strings.TrimSpace(u.FirstName + " " + u.LastName)
	if n == "" && u.Username != "" {
		n = "@" + u.Username
	}
	return n
}
