package telegram

import (
	"bytes"
	"slices"
)

// editTarget finds the message an edit or delete method names by chat_id and
// message_id. For edits, inline is true when inline_message_id is given: the
// fake does not track inline messages and answers true, as Telegram does.
func (s *Server) editTarget(p params, notFound *apiError) (m *Message, inline bool, aerr *apiError) {
	if p.has("inline_message_id") && notFound == errEditNotFound {
		return nil, true, nil
	}
	chatID, aerr := chatParam(p)
	if aerr != nil {
		return nil, false, aerr
	}
	id, ok := p.integer("message_id")
	if !ok {
		return nil, false, errNoMessageID
	}
	if m = s.findMessageLocked(chatID, int(id)); m == nil {
		return nil, false, notFound
	}
	return m, false, nil
}

// editedLocked records a successful edit of m and returns the answer.
func (s *Server) editedLocked(m *Message) any {
	m.Edits++
	m.EditDate = s.now()
	return s.wireLocked(m)
}

// editMessageText implements https://core.telegram.org/bots/api#editmessagetext.
// As on Telegram, omitting reply_markup removes the inline keyboard.
func (s *Server) editMessageText(c *call) (any, *apiError) {
	if c.params.str("text") == "" {
		return nil, errTextEmpty
	}
	plain, ents, aerr := formatText(c.params, "text", "entities", maxText, errTextTooLong)
	if aerr != nil {
		return nil, aerr
	}
	markup, aerr := replyMarkup(c.params)
	if aerr != nil {
		return nil, aerr
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m, inline, aerr := s.editTarget(c.params, errEditNotFound)
	switch {
	case aerr != nil:
		return nil, aerr
	case inline:
		return true, nil
	case m.Photo != "":
		return nil, errNoText
	case m.Plain == plain && slices.Equal(m.entities, ents) && bytes.Equal(m.ReplyMarkup, markup):
		return nil, errNotModified
	}
	m.Text, m.ParseMode, m.Plain, m.entities, m.ReplyMarkup = c.params.str("text"), c.params.str("parse_mode"), plain, ents, markup
	return s.editedLocked(m), nil
}

// editMessageCaption implements https://core.telegram.org/bots/api#editmessagecaption.
// An empty caption removes it; omitting reply_markup removes the inline keyboard.
func (s *Server) editMessageCaption(c *call) (any, *apiError) {
	plain, ents, aerr := formatText(c.params, "caption", "caption_entities", maxCaption, errCaptionTooLong)
	if aerr != nil {
		return nil, aerr
	}
	markup, aerr := replyMarkup(c.params)
	if aerr != nil {
		return nil, aerr
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m, inline, aerr := s.editTarget(c.params, errEditNotFound)
	switch {
	case aerr != nil:
		return nil, aerr
	case inline:
		return true, nil
	case m.Photo == "":
		return nil, errNoCaption
	case m.Plain == plain && slices.Equal(m.entities, ents) && bytes.Equal(m.ReplyMarkup, markup):
		return nil, errNotModified
	}
	m.Caption, m.ParseMode, m.Plain, m.entities, m.ReplyMarkup = c.params.str("caption"), c.params.str("parse_mode"), plain, ents, markup
	return s.editedLocked(m), nil
}

// editMessageReplyMarkup implements https://core.telegram.org/bots/api#editmessagereplymarkup.
// Omitting reply_markup removes the inline keyboard.
func (s *Server) editMessageReplyMarkup(c *call) (any, *apiError) {
	markup, aerr := replyMarkup(c.params)
	if aerr != nil {
		return nil, aerr
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m, inline, aerr := s.editTarget(c.params, errEditNotFound)
	switch {
	case aerr != nil:
		return nil, aerr
	case inline:
		return true, nil
	case bytes.Equal(m.ReplyMarkup, markup):
		return nil, errNotModified
	}
	m.ReplyMarkup = markup
	return s.editedLocked(m), nil
}

// deleteMessage implements https://core.telegram.org/bots/api#deletemessage:
// the message stays in Messages, flagged Deleted.
func (s *Server) deleteMessage(c *call) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, _, aerr := s.editTarget(c.params, errDeleteNotFound)
	if aerr != nil {
		return nil, aerr
	}
	m.Deleted = true
	return true, nil
}
