package viber

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/paylastic/edge/core/bot"
)

// Callback event types (https://developers.viber.com/docs/api/rest-bot-api/#callbacks).
const (
	EventWebhook             = "webhook"
	EventConversationStarted = "conversation_started"
	EventMessage             = "message"
	EventSubscribed          = "subscribed"
	EventUnsubscribed        = "unsubscribed"
	EventDelivered           = "delivered"
	EventSeen                = "seen"
	EventFailed              = "failed"
)

// maxUserID bounds a user id used in KV keys; Viber's are about 24 characters.
const maxUserID = 128

// Callback is the part of a callback body the bot reads. MessageToken is a
// 64-bit integer (real ones exceed 2^53): decoded as uint64, never through
// float64. Timestamp is Unix milliseconds.
type Callback struct {
	Event        string     `json:"event"`
	Timestamp    int64      `json:"timestamp"`
	MessageToken uint64     `json:"message_token"`
	Context      string     `json:"context"` // conversation_started: the deep link's context
	User         *User      `json:"user"`    // conversation_started, subscribed
	Sender       *User      `json:"sender"`  // message
	UserID       string     `json:"user_id"` // unsubscribed, delivered, seen, failed
	Message      *InMessage `json:"message"`
	Desc         string     `json:"desc"` // failed: why
}

// User is the user object of a callback.
type User struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Language string `json:"language"` // e.g. "en", "en-US", "uk"
}

// InMessage is what the user sent. A keyboard button press arrives as type
// "text" with the button's ActionBody as Text.
type InMessage struct {
	Type string `json:"type"` // text, picture, video, file, sticker, contact, url, location
	Text string `json:"text"`
}

// ParseCallback decodes a callback body. It fails only for a body that is
// not a JSON object of the documented field types.
func ParseCallback(body []byte) (Callback, error) {
	var cb Callback
	if err := json.Unmarshal(body, &cb); err != nil {
		return cb, err
	}
	return cb, nil
}

// Identity names the message a callback is about, stably across Viber's
// redeliveries: "viber:{user id}:{message_token}".
func (cb *Callback) Identity(userID string) string {
	return "viber:" + userID + ":" + strconv.FormatUint(cb.MessageToken, 10)
}

// event turns a conversation_started or message callback into a bot event.
// ok is false for callbacks the bot does not answer: other event types, and
// a message or conversation without a usable user id or message token.
//
// A message's text is mapped by what sent it: "cancel:…" is the cancel key
// of a check (a Callback, as Telegram's inline button), a main-keyboard id
// ("new", "list", "help") a Press; anything else is Text, and a message
// that is not text (a sticker, a picture) is an empty Text, which the bot
// answers with a hint.
func event(cb *Callback, now time.Time) (ev bot.Event, ok bool) {
	var u *User
	switch cb.Event {
	case EventConversationStarted:
		u = cb.User
	case EventMessage:
		u = cb.Sender
	default:
		return ev, false
	}
	if u == nil || u.ID == "" || len(u.ID) > maxUserID || cb.MessageToken == 0 {
		return ev, false
	}
	at := now
	if cb.Timestamp > 0 {
		at = time.UnixMilli(cb.Timestamp).UTC()
	}
	ev = bot.Event{
		Messenger: Messenger, UserID: u.ID, ChatID: u.ID,
		Name: strings.TrimSpace(u.Name), Lang: u.Language,
		Identity: cb.Identity(u.ID), At: at,
	}
	if cb.Event == EventConversationStarted {
		ev.Kind, ev.Text = bot.Start, strings.TrimSpace(cb.Context)
		return ev, true
	}
	ev.Kind = bot.Text
	if cb.Message == nil || cb.Message.Type != "text" {
		return ev, true
	}
	text := cb.Message.Text
	ev.Text = text
	s := strings.TrimSpace(text)
	// Viber has no inline buttons: a check's buttons (cancel, refund and
	// its confirmation) are keyboard keys whose text is their data.
	for _, prefix := range []string{bot.CancelPrefix, bot.RefundPrefix, bot.RefundYesPrefix, bot.RefundNoPrefix} {
		if strings.HasPrefix(s, prefix) {
			ev.Kind, ev.Data, ev.Text = bot.Callback, s, ""
			return ev, true
		}
	}
	for _, b := range bot.MainKeyboard("uk") {
		if s == b.ID.String() {
			ev.Kind, ev.Button, ev.Text = bot.Press, b.ID, ""
			break
		}
	}
	return ev, true
}
