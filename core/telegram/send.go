package telegram

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/paylastic/edge/core/bot"
	"github.com/paylastic/edge/core/text"
)

// SendText sends a plain-text message (https://core.telegram.org/bots/api#sendmessage),
// with the operator's reply keyboard when keyboard is not empty.
func (c *Client) SendText(ctx context.Context, chatID int64, text string, keyboard []bot.Button) error {
	o := newJSON().int("chat_id", chatID).str("text", text)
	if len(keyboard) > 0 {
		o.raw("reply_markup", replyKeyboard(keyboard))
	}
	return c.postJSON(ctx, "sendMessage", o)
}

// SendInline sends a plain-text message with inline buttons under it (a
// Telegram message carries one markup: the reply keyboard stays as it was).
func (c *Client) SendInline(ctx context.Context, chatID int64, text string, inline []bot.Inline) error {
	return c.postJSON(ctx, "sendMessage", newJSON().int("chat_id", chatID).str("text", text).raw("reply_markup", inlineKeyboard(inline)))
}

// SendPicture uploads a PNG with a caption and inline buttons
// (https://core.telegram.org/bots/api#sendphoto).
func (c *Client) SendPicture(ctx context.Context, chatID int64, png []byte, caption string, inline []bot.Inline) error {
	fields := [][2]string{{"chat_id", strconv.FormatInt(chatID, 10)}, {"caption", caption}}
	if len(inline) > 0 {
		fields = append(fields, [2]string{"reply_markup", string(inlineKeyboard(inline))})
	}
	ct, body, err := multipartBody(fields, "photo", "qr.png", png)
	if err != nil {
		return c.fail("sendPhoto", err)
	}
	return c.post(ctx, "sendPhoto", ct, body)
}

// Edit replaces the caption (of a photo) or the text of one of the bot's
// messages and its inline buttons; none removes them
// (https://core.telegram.org/bots/api#editmessagecaption).
func (c *Client) Edit(ctx context.Context, chatID int64, messageID int, photo bool, text string, inline []bot.Inline) error {
	method, field := "editMessageText", "text"
	if photo {
		method, field = "editMessageCaption", "caption"
	}
	o := newJSON().int("chat_id", chatID).int("message_id", int64(messageID)).str(field, text)
	if len(inline) > 0 {
		o.raw("reply_markup", inlineKeyboard(inline))
	}
	return c.postJSON(ctx, method, o)
}

// AnswerCallback stops the button's progress indicator, showing toast if any
// (https://core.telegram.org/bots/api#answercallbackquery).
func (c *Client) AnswerCallback(ctx context.Context, queryID, toast string) error {
	o := newJSON().str("callback_query_id", queryID)
	if toast != "" {
		o.str("text", text.Clip(toast, 200))
	}
	return c.postJSON(ctx, "answerCallbackQuery", o)
}

// replyKeyboard lays the main keyboard out as the first button alone, then
// the others side by side; it stays shown and fits the screen
// (ReplyKeyboardMarkup).
func replyKeyboard(buttons []bot.Button) []byte {
	b := append(make([]byte, 0, 256), `{"keyboard":[[{"text":`...)
	b = appendJSONString(b, buttons[0].Text)
	b = append(b, `}]`...)
	if len(buttons) > 1 {
		b = append(b, `,[`...)
		for i, btn := range buttons[1:] {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(append(b, `{"text":`...), btn.Text)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	return append(b, `],"is_persistent":true,"resize_keyboard":true}`...)
}

// inlineKeyboard is one row of inline buttons (InlineKeyboardMarkup): a
// callback_data button, or a url button for a bot.Inline with a URL. A url
// button whose URL is not https is left out: the Bot API refuses the whole
// message for a URL it finds invalid (a local http://127.0.0.1 base URL),
// and the QR picture matters more than the button.
func inlineKeyboard(buttons []bot.Inline) []byte {
	b := append(make([]byte, 0, 256), `{"inline_keyboard":[[`...)
	n := 0
	for _, btn := range buttons {
		if btn.URL != "" && !strings.HasPrefix(btn.URL, "https://") {
			continue
		}
		if n > 0 {
			b = append(b, ',')
		}
		n++
		b = appendJSONString(append(b, `{"text":`...), btn.Text)
		if btn.URL != "" {
			b = appendJSONString(append(b, `,"url":`...), btn.URL)
		} else {
			b = appendJSONString(append(b, `,"callback_data":`...), btn.Data)
		}
		b = append(b, '}')
	}
	return append(b, `]]}`...)
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
