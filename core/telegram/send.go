package telegram

import (
	"context"
	"fmt"

	"github.com/mymmrac/telego"

	"github.com/paylastic/edge/core/bot"
	"github.com/paylastic/edge/core/text"
)

// SendText sends a plain-text message (https://core.telegram.org/bots/api#sendmessage),
// with the operator's reply keyboard when keyboard is not empty.
func (c *Client) SendText(ctx context.Context, chatID int64, text string, keyboard []bot.Button) error {
	p := &telego.SendMessageParams{ChatID: telego.ChatID{ID: chatID}, Text: text}
	if len(keyboard) > 0 {
		p.ReplyMarkup = replyKeyboard(keyboard)
	}
	return c.call(ctx, "sendMessage", func(b *telego.Bot) error { _, err := b.SendMessage(ctx, p); return err })
}

// SendInline sends a plain-text message with inline buttons under it (a
// Telegram message carries one markup: the reply keyboard stays as it was).
func (c *Client) SendInline(ctx context.Context, chatID int64, text string, inline []bot.Inline) error {
	p := &telego.SendMessageParams{ChatID: telego.ChatID{ID: chatID}, Text: text, ReplyMarkup: inlineKeyboard(inline)}
	return c.call(ctx, "sendMessage", func(b *telego.Bot) error { _, err := b.SendMessage(ctx, p); return err })
}

// SendPicture uploads a PNG with a caption and inline buttons
// (https://core.telegram.org/bots/api#sendphoto).
func (c *Client) SendPicture(ctx context.Context, chatID int64, png []byte, caption string, inline []bot.Inline) error {
	p := &telego.SendPhotoParams{ChatID: telego.ChatID{ID: chatID}, Photo: upload(png, "qr.png"), Caption: caption}
	if len(inline) > 0 {
		p.ReplyMarkup = inlineKeyboard(inline)
	}
	return c.call(ctx, "sendPhoto", func(b *telego.Bot) error { _, err := b.SendPhoto(ctx, p); return err })
}

// Edit replaces the caption (of a photo) or the text of one of the bot's
// messages and its inline buttons; none removes them
// (https://core.telegram.org/bots/api#editmessagecaption).
func (c *Client) Edit(ctx context.Context, chatID int64, messageID int, photo bool, text string, inline []bot.Inline) error {
	id := telego.ChatID{ID: chatID}
	if photo {
		p := &telego.EditMessageCaptionParams{ChatID: id, MessageID: messageID, Caption: text}
		if len(inline) > 0 {
			p.ReplyMarkup = inlineKeyboard(inline)
		}
		return c.call(ctx, "editMessageCaption", func(b *telego.Bot) error { _, err := b.EditMessageCaption(ctx, p); return err })
	}
	p := &telego.EditMessageTextParams{ChatID: id, MessageID: messageID, Text: text}
	if len(inline) > 0 {
		p.ReplyMarkup = inlineKeyboard(inline)
	}
	return c.call(ctx, "editMessageText", func(b *telego.Bot) error { _, err := b.EditMessageText(ctx, p); return err })
}

// AnswerCallback stops the button's progress indicator, showing toast if any
// (https://core.telegram.org/bots/api#answercallbackquery).
func (c *Client) AnswerCallback(ctx context.Context, queryID, toast string) error {
	p := &telego.AnswerCallbackQueryParams{CallbackQueryID: queryID, Text: text.Clip(toast, 200)}
	return c.call(ctx, "answerCallbackQuery", func(b *telego.Bot) error { return b.AnswerCallbackQuery(ctx, p) })
}

// replyKeyboard lays the main keyboard out as the first button alone, then
// the others side by side; it stays shown and fits the screen.
func replyKeyboard(buttons []bot.Button) *telego.ReplyKeyboardMarkup {
	rows := [][]telego.KeyboardButton{{{Text: buttons[0].Text}}}
	var rest []telego.KeyboardButton
	for _, b := range buttons[1:] {
		rest = append(rest, telego.KeyboardButton{Text: b.Text})
	}
	if len(rest) > 0 {
		rows = append(rows, rest)
	}
	return &telego.ReplyKeyboardMarkup{Keyboard: rows, ResizeKeyboard: true, IsPersistent: true}
}

func inlineKeyboard(buttons []bot.Inline) *telego.InlineKeyboardMarkup {
	row := make([]telego.InlineKeyboardButton, len(buttons))
	for i, b := range buttons {
		row[i] = telego.InlineKeyboardButton{Text: b.Text, CallbackData: b.Data}
	}
	return &telego.InlineKeyboardMarkup{InlineKeyboard: [][]telego.InlineKeyboardButton{row}}
}

// chat is a bot.Sender for the chat (and, for a callback, the button press)
// an update came from.
type chat struct {
	c        *Client
	id       int64
	query    string // callback query id; "" for messages
	msgID    int    // the message with the pressed button; 0 if none
	photo    bool   // whether that message is a photo (edit its caption)
	answered bool   // an answerCallbackQuery was attempted
}

var _ bot.Sender = (*chat)(nil)

// PicturesByURL is false: Telegram takes the QR picture as an upload.
func (s *chat) PicturesByURL() bool { return false }

// Send turns a reply into its Bot API call. A picture's reply keyboard is
// not sent: a Telegram message carries one markup, and the inline buttons
// win; the keyboard is already shown.
func (s *chat) Send(ctx context.Context, r bot.Reply) error {
	switch r.Kind {
	case bot.Message:
		if len(r.Inline) > 0 {
			return s.c.SendInline(ctx, s.id, r.Text, r.Inline)
		}
		return s.c.SendText(ctx, s.id, r.Text, r.Keyboard)
	case bot.Picture:
		if r.Picture == nil {
			return fmt.Errorf("telegram: picture reply without a picture")
		}
		return s.c.SendPicture(ctx, s.id, r.Picture.PNG, r.Text, r.Inline)
	case bot.Edit:
		if s.msgID == 0 {
			return nil // an inline-mode message: nothing of ours to edit
		}
		return s.c.Edit(ctx, s.id, s.msgID, s.photo, r.Text, r.Inline)
	case bot.Answer:
		if s.query == "" {
			return nil
		}
		s.answered = true
		return s.c.AnswerCallback(ctx, s.query, r.Text)
	}
	return fmt.Errorf("telegram: unknown reply kind %d", r.Kind)
}
