package telegram

import (
	"bytes"
	"encoding/json"
	"slices"
	"sort"
	"strings"
	"time"
)

const maxMessages = 10_000

// Message is a message the bot sent, as a chat would show it: edits are
// applied in place and deletions only flag it. The JSON tags are for the dev
// console, which sends these to the browser.
type Message struct {
	ID        int       `json:"id"`      // message_id, per chat, from 1, in send order
	ChatID    int64     `json:"chat_id"` // chat_id it was sent to
	Date      time.Time `json:"date"`
	Text      string    `json:"text,omitempty"`       // text as sent (with markup when ParseMode is set); "" for a photo
	Caption   string    `json:"caption,omitempty"`    // photo caption as sent
	ParseMode string    `json:"parse_mode,omitempty"` // "HTML", "MarkdownV2", "Markdown" or ""
	Plain     string    `json:"plain"`                // Text or Caption after entity parsing: what the user reads
	Photo     string    `json:"photo,omitempty"`      // file_id of the photo; "" for a text message
	PhotoURL  string    `json:"photo_url,omitempty"`  // URL the photo was sent by, if it was
	// ReplyMarkup is the last reply_markup, compact JSON with sorted keys;
	// nil when there is none.
	ReplyMarkup json.RawMessage `json:"reply_markup,omitempty"`
	Edits       int             `json:"edits,omitempty"`    // number of successful edits
	EditDate    time.Time       `json:"edit_date,omitzero"` // time of the last edit
	Deleted     bool            `json:"deleted,omitempty"`  // deleteMessage succeeded

	entities []entity
	uniqueID string // photo file_unique_id
	width    int    // photo size
	height   int
	size     int
}

// InlineData lists the callback_data of m's inline buttons, row by row:
// what the user can press under the message (nothing for a reply keyboard
// or a button that opens a URL).
func (m Message) InlineData() []string {
	var markup struct {
		Rows [][]struct {
			Data string `json:"callback_data"`
		} `json:"inline_keyboard"`
	}
	_ = json.Unmarshal(m.ReplyMarkup, &markup) // the fake stores only valid markup
	var out []string
	for _, row := range markup.Rows {
		for _, b := range row {
			if b.Data != "" {
				out = append(out, b.Data)
			}
		}
	}
	return out
}

// InlineButton is the callback_data of m's first inline button whose
// data begins with prefix, and whether it has one.
func (m Message) InlineButton(prefix string) (string, bool) {
	for _, d := range m.InlineData() {
		if strings.HasPrefix(d, prefix) {
			return d, true
		}
	}
	return "", false
}

// chat holds the messages the bot sent to one chat, in ID order.
type chat struct {
	lastID int
	msgs   []*Message
}

func (c *chat) find(id int) *Message {
	i := sort.Search(len(c.msgs), func(i int) bool { return c.msgs[i].ID >= id })
	if i < len(c.msgs) && c.msgs[i].ID == id {
		return c.msgs[i]
	}
	return nil
}

type msgRef struct {
	chat int64
	id   int
}

// Messages returns copies of the messages the bot sent to chatID, in order,
// including deleted ones. The oldest are forgotten beyond 10 000 messages
// across all chats.
func (s *Server) Messages(chatID int64) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chats[chatID]
	if c == nil {
		return nil
	}
	out := make([]Message, len(c.msgs))
	for i, m := range c.msgs {
		out[i] = *m
		out[i].ReplyMarkup = bytes.Clone(m.ReplyMarkup)
	}
	return out
}

// Chats returns the ids of the chats the bot sent messages to, ascending.
func (s *Server) Chats() []int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]int64, 0, len(s.chats))
	for id, c := range s.chats {
		if len(c.msgs) > 0 {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

// NextMessageID reserves the next message_id in chatID for a message the
// user sends (an update the caller builds), so that it does not collide with
// the ids of the bot's messages, as in a real private chat.
func (s *Server) NextMessageID(chatID int64) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chatLocked(chatID)
	c.lastID++
	return c.lastID
}

func (s *Server) chatLocked(id int64) *chat {
	c := s.chats[id]
	if c == nil {
		c = &chat{}
		s.chats[id] = c
	}
	return c
}

// addMessageLocked gives m the next id in its chat and stores it, forgetting
// the oldest message of all beyond maxMessages.
func (s *Server) addMessageLocked(m *Message) {
	c := s.chatLocked(m.ChatID)
	c.lastID++
	m.ID = c.lastID
	c.msgs = append(c.msgs, m)
	s.order = append(s.order, msgRef{m.ChatID, m.ID})
	for len(s.order) > maxMessages {
		ref := s.order[0]
		s.order = s.order[1:]
		if old := s.chats[ref.chat]; old != nil && len(old.msgs) > 0 && old.msgs[0].ID == ref.id {
			old.msgs = old.msgs[1:]
		}
	}
}

// findMessageLocked returns the message id in chatID, nil if unknown or deleted.
func (s *Server) findMessageLocked(chatID int64, id int) *Message {
	c := s.chats[chatID]
	if c == nil {
		return nil
	}
	if m := c.find(id); m != nil && !m.Deleted {
		return m
	}
	return nil
}
