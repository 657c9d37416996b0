package telegram

import (
	"strconv"
	"strings"
	"time"

	"github.com/paylastic/edge/core/bot"
)

// event turns an update into a bot event and the chat to answer in. ok is
// false for updates the bot ignores: edited messages, channel posts,
// messages in groups or from bots, service messages. A callback query is
// always an event, whatever its message: it must be answered.
func event(u *update, now time.Time) (ev bot.Event, to *chat, ok bool) {
	if q := u.CallbackQuery; q != nil {
		ev = bot.Event{
			Kind: bot.Callback, Messenger: Messenger, Data: q.Data,
			UserID: strconv.FormatInt(q.From.ID, 10), Name: name(&q.From), Lang: q.From.LanguageCode,
			Identity: "telegram:callback:" + q.ID, At: now,
		}
		to = &chat{id: q.From.ID, query: q.ID}
		// The message may be absent (inline mode) or inaccessible (date 0:
		// old, and then taken for one of our pictures, or gone).
		if m := q.Message; m != nil {
			to.id, to.msgID, to.photo = m.Chat.ID, m.MessageID, m.Date == 0 || len(m.Photo) > 0
		}
		ev.ChatID = strconv.FormatInt(to.id, 10)
		return ev, to, true
	}
	m := u.Message
	if m == nil || m.From == nil || m.From.IsBot || m.Chat.Type != "private" {
		return ev, nil, false
	}
	text := ""
	if m.Text != nil {
		text = *m.Text
	}
	ev = bot.Event{
		Kind: bot.Text, Messenger: Messenger, Text: text,
		UserID: strconv.FormatInt(m.From.ID, 10), ChatID: strconv.FormatInt(m.Chat.ID, 10),
		Name: name(m.From), Lang: m.From.LanguageCode,
		Identity: "telegram:" + strconv.FormatInt(m.Chat.ID, 10) + ":" + strconv.Itoa(m.MessageID),
		At:       time.Unix(m.Date, 0).UTC(),
	}
	if m.Text == nil && !hasContent(m) {
		return ev, nil, false // a service message: a pin, a timer change…
	}
	if cmd, payload, _ := strings.Cut(strings.TrimSpace(text), " "); cmd == "/start" || strings.HasPrefix(cmd, "/start@") {
		ev.Kind, ev.Text = bot.Start, strings.TrimSpace(payload)
	}
	return ev, &chat{id: m.Chat.ID}, true
}

// hasContent reports whether a message without text is something a person
// sent (a sticker, a picture…), which gets an answer.
func hasContent(m *message) bool {
	return present(m.Sticker) || len(m.Photo) > 0 || present(m.Document) || present(m.Animation) ||
		present(m.Voice) || present(m.Video) || present(m.VideoNote) || present(m.Audio) ||
		present(m.Contact) || present(m.Location) || m.Caption != ""
}

func name(u *user) string {
	n := strings.TrimSpace(u.FirstName + " " + u.LastName)
	if n == "" && u.Username != "" {
		n = "@" + u.Username
	}
	return n
}
