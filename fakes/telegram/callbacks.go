package telegram

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// maxQueries bounds the callback queries the fake remembers (and so the
// toasts it keeps).
const maxQueries = 10_000

// User is a Telegram user as updates describe one
// (https://core.telegram.org/bots/api#user).
type User struct {
	ID           int64  `json:"id"`
	IsBot        bool   `json:"is_bot"`
	FirstName    string `json:"first_name"`
	Username     string `json:"username,omitempty"`
	LanguageCode string `json:"language_code,omitempty"`
}

// Toast is the answer to a callback query the fake issued (PressButton):
// what a Telegram client shows at the top of the chat, or in a dialog when
// ShowAlert is set. An answer without text shows nothing but is still
// recorded.
type Toast struct {
	QueryID   string    `json:"query_id"`
	ChatID    int64     `json:"chat_id"`
	MessageID int       `json:"message_id"` // the message whose button was pressed
	Text      string    `json:"text"`
	ShowAlert bool      `json:"show_alert,omitempty"`
	Time      time.Time `json:"time"`
	// After is the id of the newest message in the chat when the answer
	// came: where the toast belongs in the chat's history.
	After int `json:"after"`
}

// query is a callback query the fake issued; toast is set once answered.
type query struct {
	id    string
	chat  int64
	msg   int
	toast *Toast
}

// ErrNoButton is returned (wrapped) by PressButton when the message does not
// exist or carries no inline button with the data.
var ErrNoButton = errors.New("telegram fake: no such inline button")

// PressButton returns the CallbackQuery object
// (https://core.telegram.org/bots/api#callbackquery) a Telegram client
// sends when from presses the inline button with callback data data under
// the bot's message messageID in chatID. As on Telegram, its "message" is
// the message as it is now: a photo's sizes and caption (or the text), the
// inline keyboard, the edit date. The caller puts it in an Update
// ({"update_id":…,"callback_query":…}) for the webhook or Enqueue.
//
// The query's id is new; answerCallbackQuery with it records a Toast
// (Toasts) and a second answer is refused, as Telegram refuses it.
func (s *Server) PressButton(chatID int64, messageID int, from User, data string) (json.RawMessage, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.findMessageLocked(chatID, messageID)
	if m == nil || !hasCallbackButton(m.ReplyMarkup, data) {
		return nil, fmt.Errorf("press %q under message %d in chat %d: %w", data, messageID, chatID, ErrNoButton)
	}
	s.querySeq++
	q := &query{id: strconv.FormatInt(chatID, 36) + "-" + strconv.Itoa(s.querySeq), chat: chatID, msg: messageID}
	s.queries[q.id] = q
	s.queryOrder = append(s.queryOrder, q.id)
	for len(s.queryOrder) > maxQueries {
		delete(s.queries, s.queryOrder[0])
		s.queryOrder = s.queryOrder[1:]
	}
	cq := struct {
		ID           string      `json:"id"`
		From         User        `json:"from"`
		Message      wireMessage `json:"message"`
		ChatInstance string      `json:"chat_instance"`
		Data         string      `json:"data"`
	}{q.id, from, s.wireLocked(m), "ci" + strconv.FormatInt(chatID, 10), data}
	return marshal(cq), nil
}

// hasCallbackButton reports whether markup is an inline keyboard with a
// button whose callback_data is data.
func hasCallbackButton(markup []byte, data string) bool {
	var kb struct {
		Inline [][]struct {
			Data *string `json:"callback_data"`
		} `json:"inline_keyboard"`
	}
	if json.Unmarshal(markup, &kb) != nil {
		return false
	}
	for _, row := range kb.Inline {
		for _, b := range row {
			if b.Data != nil && *b.Data == data {
				return true
			}
		}
	}
	return false
}

// Toasts returns the answers to the callback queries the fake issued for
// chatID, in the order they came.
func (s *Server) Toasts(chatID int64) []Toast {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Toast
	for _, id := range s.toastOrder {
		if q := s.queries[id]; q != nil && q.chat == chatID && q.toast != nil {
			out = append(out, *q.toast)
		}
	}
	return out
}

// answerCallbackQuery implements https://core.telegram.org/bots/api#answercallbackquery.
// A query the fake issued (PressButton) may be answered once; its answer is
// kept as a Toast. Other non-empty ids (updates a test built itself) are
// answered true, since the fake cannot know them.
func (s *Server) answerCallbackQuery(c *call) (any, *apiError) {
	id := c.params.str("callback_query_id")
	if id == "" {
		return nil, errQueryID
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.queries[id]
	switch {
	case q == nil:
		return true, nil
	case q.toast != nil:
		return nil, errQueryID
	}
	after := 0
	if ch := s.chats[q.chat]; ch != nil {
		after = ch.lastID
	}
	q.toast = &Toast{QueryID: id, ChatID: q.chat, MessageID: q.msg, Text: c.params.str("text"),
		ShowAlert: c.params.boolean("show_alert"), Time: s.now(), After: after}
	s.toastOrder = append(s.toastOrder, id)
	if len(s.toastOrder) > 2*maxQueries {
		s.toastOrder = append([]string(nil), s.toastOrder[len(s.toastOrder)-maxQueries:]...)
	}
	return true, nil
}
