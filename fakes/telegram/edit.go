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

// edit applies change to the message c names, under the lock, and answers
// it as edited; change refuses with an error. An inline message (not
// tracked) is answered true, as Telegram does.
func (s *Server) edit(c *call, change func(m *Message) *apiError) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, inline, aerr := s.editTarget(c.params, errEditNotFound)
	switch {
	case aerr != nil:
		return nil, aerr
	case inline:
		return true, nil
	}
	if aerr := change(m); aerr != nil {
		return nil, aerr
	}
	m.Edits++
	m.EditDate = s.now()
	return s.wireLocked(m), nil
}

// editMessageText implements https://core.telegram.org/bots/api#editmessagetext.
// As on Telegram, omitting reply_markup removes the inline keyboard.
func (s *Server) editMessageText(c *call) (any, *apiError) {
	if c.params.str("text") == "" {
		return nil, errTextEmpty
	}
	return s.editBody(c, false)
}

// editMessageCaption implements https://core.telegram.org/bots/api#editmessagecaption.
// An empty caption removes it; omitting reply_markup removes the inline keyboard.
func (s *Server) editMessageCaption(c *call) (any, *apiError) { return s.editBody(c, true) }

// editBody edits what a message says, with its inline keyboard: the text
// of a text message, or with caption the caption of a photo. Each method
// refuses the other kind of message, and an edit that changes nothing.
func (s *Server) editBody(c *call, caption bool) (any, *apiError) {
	field, entities, limit, tooLong := "text", "entities", maxText, errTextTooLong
	if caption {
		field, entities, limit, tooLong = "caption", "caption_entities", maxCaption, errCaptionTooLong
	}
	plain, ents, aerr := formatText(c.params, field, entities, limit, tooLong)
	if aerr != nil {
		return nil, aerr
	}
	markup, aerr := replyMarkup(c.params)
	if aerr != nil {
		return nil, aerr
	}
	return s.edit(c, func(m *Message) *apiError {
		switch {
		case caption && m.Photo == "":
			return errNoCaption
		case !caption && m.Photo != "":
			return errNoText
		case m.Plain == plain && slices.Equal(m.entities, ents) && bytes.Equal(m.ReplyMarkup, markup):
			return errNotModified
		}
		if caption {
			m.Caption = c.params.str(field)
		} else {
			m.Text = c.params.str(field)
		}
		m.ParseMode, m.Plain, m.entities, m.ReplyMarkup = c.params.str("parse_mode"), plain, ents, markup
		return nil
	})
}

// editMessageReplyMarkup implements https://core.telegram.org/bots/api#editmessagereplymarkup.
// Omitting reply_markup removes the inline keyboard.
func (s *Server) editMessageReplyMarkup(c *call) (any, *apiError) {
	markup, aerr := replyMarkup(c.params)
	if aerr != nil {
		return nil, aerr
	}
	return s.edit(c, func(m *Message) *apiError {
		if bytes.Equal(m.ReplyMarkup, markup) {
			return errNotModified
		}
		m.ReplyMarkup = markup
		return nil
	})
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
