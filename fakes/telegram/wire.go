package telegram

import (
	"encoding/json"
	"strconv"
	"strings"
)

// Bot identity answered by getMe and used as "from" in sent messages. The
// user id is the number before the colon in the token, as on Telegram.
const (
	BotFirstName = "Fake Bot"
	BotUsername  = "fake_bot"
)

// The wire types below follow https://core.telegram.org/bots/api#available-types
// with only the fields the fake fills in.

type wireUser struct {
	ID                      int64  `json:"id"`
	IsBot                   bool   `json:"is_bot"`
	FirstName               string `json:"first_name"`
	Username                string `json:"username,omitempty"`
	CanJoinGroups           bool   `json:"can_join_groups,omitempty"`
	CanReadAllGroupMessages bool   `json:"can_read_all_group_messages,omitempty"`
	SupportsInlineQueries   bool   `json:"supports_inline_queries,omitempty"`
}

type wireChat struct {
	ID   int64  `json:"id"`
	Type string `json:"type"`
}

type wirePhotoSize struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	Width        int    `json:"width"`
	Height       int    `json:"height"`
	FileSize     int    `json:"file_size,omitempty"`
}

type wireMessage struct {
	MessageID       int             `json:"message_id"`
	From            *wireUser       `json:"from,omitempty"`
	Chat            wireChat        `json:"chat"`
	Date            int64           `json:"date"`
	EditDate        int64           `json:"edit_date,omitempty"`
	Text            string          `json:"text,omitempty"`
	Entities        []entity        `json:"entities,omitempty"`
	Photo           []wirePhotoSize `json:"photo,omitempty"`
	Caption         string          `json:"caption,omitempty"`
	CaptionEntities []entity        `json:"caption_entities,omitempty"`
	ReplyMarkup     json.RawMessage `json:"reply_markup,omitempty"`
}

type wireWebhookInfo struct {
	URL                  string   `json:"url"`
	HasCustomCertificate bool     `json:"has_custom_certificate"`
	PendingUpdateCount   int      `json:"pending_update_count"`
	IPAddress            string   `json:"ip_address,omitempty"`
	MaxConnections       int      `json:"max_connections,omitempty"`
	AllowedUpdates       []string `json:"allowed_updates,omitempty"`
}

// botUser is the bot's User object.
func (s *Server) botUser() *wireUser {
	id, _ := strconv.ParseInt(strings.SplitN(s.token, ":", 2)[0], 10, 64)
	return &wireUser{ID: id, IsBot: true, FirstName: BotFirstName, Username: BotUsername}
}

// chatType guesses the chat type from its id as Telegram assigns them:
// users positive, basic groups negative, supergroups and channels -100….
func chatType(id int64) string {
	switch {
	case id > 0:
		return "private"
	case id <= -1_000_000_000_000:
		return "supergroup"
	default:
		return "group"
	}
}

// wireLocked renders m as the Message object Telegram returns for it.
func (s *Server) wireLocked(m *Message) wireMessage {
	w := wireMessage{
		MessageID: m.ID,
		From:      s.botUser(),
		Chat:      wireChat{ID: m.ChatID, Type: chatType(m.ChatID)},
		Date:      m.Date.Unix(),
	}
	if m.Edits > 0 {
		w.EditDate = m.EditDate.Unix()
	}
	if m.Photo == "" {
		w.Text, w.Entities = m.Plain, m.entities
	} else {
		w.Caption, w.CaptionEntities = m.Plain, m.entities
		w.Photo = []wirePhotoSize{{FileID: m.Photo, FileUniqueID: m.uniqueID, Width: m.width, Height: m.height, FileSize: m.size}}
	}
	if isInlineKeyboard(m.ReplyMarkup) {
		w.ReplyMarkup = m.ReplyMarkup
	}
	return w
}
