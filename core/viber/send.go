package viber

import (
	"context"
	"fmt"
	"strings"

	"github.com/paylastic/edge/core/bot"
	"github.com/paylastic/edge/core/text"
)

// send_message limits (https://creators.viber.com/docs/bots-api/resources/messaging/send-message).
const (
	maxSenderName = 28
	maxText       = 7000
	// MaxPictureText is the longest picture text sent: the old docs allow
	// 120 characters, the newer 768; the stricter limit is kept.
	MaxPictureText = 120
	// MinAPIVersion is the "min_api_version" of every message: the
	// keyboards use nothing beyond API level 1 (no InputFieldState).
	MinAPIVersion = 1
)

// Message is a send_message body (https://developers.viber.com/docs/api/rest-bot-api/#send-message).
// Without Receiver it is a welcome message: the answer to conversation_started.
type Message struct {
	Receiver      string    `json:"receiver,omitempty"`
	MinAPIVersion int       `json:"min_api_version"`
	Sender        Sender    `json:"sender"`
	Type          string    `json:"type"` // "text" or "picture"
	Text          string    `json:"text"` // required; a picture's may be ""
	Media         string    `json:"media,omitempty"`
	Keyboard      *Keyboard `json:"keyboard,omitempty"`
}

// Sender names the bot on a message; Name is required (≤28 characters).
type Sender struct {
	Name string `json:"name"`
}

// Keyboard is the custom keyboard shown under the input field
// (https://creators.viber.com/docs/bots-api/resources/messaging/keyboards).
// Viber shows the keyboard of the last message only, so every message
// carries one.
type Keyboard struct {
	Type    string   `json:"Type"` // "keyboard"
	Buttons []Button `json:"Buttons"`
}

// Button is a reply button: pressing it sends ActionBody to the bot as a
// text message. Silent keeps that text out of the chat: ActionBody is an
// id ("new", "cancel:…"), not something the operator should read.
type Button struct {
	Columns    int    `json:"Columns"` // of 6
	Rows       int    `json:"Rows"`
	ActionType string `json:"ActionType"`
	ActionBody string `json:"ActionBody"`
	// OpenURLType is "external" for an open-url button to open in the
	// phone's browser; empty for the others.
	OpenURLType string `json:"OpenURLType,omitempty"`
	Text        string `json:"Text"`
	Silent      bool   `json:"Silent"`
}

// sendReply is the answer to send_message.
type sendReply struct {
	MessageToken uint64 `json:"message_token"`
}

// Send sends one message, filling in the sender and min_api_version, and
// returns its message_token.
func (c *Client) Send(ctx context.Context, m Message) (uint64, error) {
	m.Sender = Sender{Name: c.senderName()}
	m.MinAPIVersion = MinAPIVersion
	var r sendReply
	if err := c.call(ctx, "send_message", m, &r); err != nil {
		return 0, err
	}
	return r.MessageToken, nil
}

// SendText sends a text message with a keyboard (none when kb is nil).
func (c *Client) SendText(ctx context.Context, receiver, text string, kb *Keyboard) error {
	_, err := c.Send(ctx, TextMessage(receiver, text, kb))
	return err
}

// TextMessage is a text message; receiver "" makes it a welcome message.
func TextMessage(receiver, msg string, kb *Keyboard) Message {
	return Message{Receiver: receiver, Type: "text", Text: text.Clip(msg, maxText), Keyboard: kb}
}

// PictureMessage is a picture fetched by Viber from media, whose last path
// segment must end in .png, .jpeg or .gif; its text is clipped to
// MaxPictureText characters.
func PictureMessage(receiver, media, caption string, kb *Keyboard) Message {
	return Message{Receiver: receiver, Type: "picture", Text: text.Clip(caption, MaxPictureText), Media: media, Keyboard: kb}
}

// keyboard lays out the main keyboard like Telegram's: the first button
// across the width, then the others side by side — up to three in a row,
// more (an owner's four) two by two, so that no label is squeezed into a
// sixth of a phone's width — then extra buttons (a check's «Скасувати»)
// one per row. Main buttons send their bot.ButtonID ("new", "list",
// "help"), extra ones their data ("cancel:…").
func keyboard(buttons []bot.Button, extra []bot.Inline) *Keyboard {
	kb := &Keyboard{Type: "keyboard"}
	rest := max(len(buttons)-1, 1)
	for i, b := range buttons {
		cols := 6
		switch {
		case i == 0:
		case rest <= 3:
			cols = 6 / rest
		case i == len(buttons)-1 && rest%2 == 1:
			cols = 6 // the odd one out of pairs: a row of its own
		default:
			cols = 3
		}
		kb.Buttons = append(kb.Buttons, Button{Columns: cols, Rows: 1, ActionType: "reply", ActionBody: b.ID.String(), Text: b.Text, Silent: true})
	}
	for _, b := range extra {
		if b.URL != "" {
			// opened in the phone's own browser, which can send SMS and
			// e-mail and has the Web Share sheet; Viber's own cannot
			kb.Buttons = append(kb.Buttons, Button{Columns: 6, Rows: 1, ActionType: "open-url", ActionBody: b.URL, OpenURLType: "external", Text: b.Text, Silent: true})
			continue
		}
		kb.Buttons = append(kb.Buttons, Button{Columns: 6, Rows: 1, ActionType: "reply", ActionBody: b.Data, Text: b.Text, Silent: true})
	}
	return kb
}

// chat is a bot.Sender for the user a callback came from. Viber has no
// inline buttons, no edits and no answers to button presses, so:
//   - every message to an operator carries the reply's keyboard (the bot
//     sets the owner's or the cashier's on every reply: bot.KeyboardOf),
//     plus the reply's inline buttons as extra keys; messages to anyone
//     else carry none;
//   - an Edit is sent as a new message;
//   - an Answer is sent as a message, unless empty or an Edit already said
//     what happened.
//
// In welcome mode (conversation_started) the first message is kept as the
// answer to the callback instead of being sent, and later ones are dropped:
// Viber allows one message before the user subscribes.
type chat struct {
	c       *Client
	to      string // the user's id
	edited  bool   // an Edit was sent for this event
	welcome bool
	reply   *Message // welcome mode: the answer to the callback
}

var _ bot.Sender = (*chat)(nil)

// PicturesByURL tells the bot not to draw the QR code: Viber fetches it.
func (s *chat) PicturesByURL() bool { return true }

// Send turns a reply into send_message calls (see chat).
func (s *chat) Send(ctx context.Context, r bot.Reply) error {
	var kb *Keyboard
	if !r.NoKeyboard { // not an operator: no operator keys
		kb = keyboard(r.Keyboard, r.Inline)
	}
	switch r.Kind {
	case bot.Message:
		return s.text(ctx, r.Text, kb)
	case bot.Picture:
		if r.Picture == nil || r.Picture.URL == "" {
			return fmt.Errorf("viber: picture reply without a picture URL")
		}
		return s.picture(ctx, r, kb)
	case bot.Edit:
		s.edited = true
		return s.text(ctx, r.Text, kb)
	case bot.Answer:
		if s.edited || strings.TrimSpace(r.Text) == "" {
			return nil
		}
		return s.text(ctx, r.Text, kb)
	}
	return fmt.Errorf("viber: unknown reply kind %d", r.Kind)
}

func (s *chat) text(ctx context.Context, text string, kb *Keyboard) error {
	if s.welcome {
		if s.reply == nil {
			m := TextMessage("", text, kb)
			m.Sender, m.MinAPIVersion = Sender{Name: s.c.senderName()}, MinAPIVersion
			s.reply = &m
		} else {
			s.c.Log.Warn("viber: second message before subscription dropped")
		}
		return nil
	}
	return s.c.SendText(ctx, s.to, text, kb)
}

// picture sends the QR picture by its URL. Its text is the reply's first
// line when the whole text does not fit a picture; then the whole text (with
// the link) follows as a text message, carrying the same keyboard. A failure
// of that second message is logged, not returned: the picture is out, and a
// retried callback must not send a second one.
func (s *chat) picture(ctx context.Context, r bot.Reply, kb *Keyboard) error {
	caption, rest := r.Text, ""
	if len([]rune(caption)) > MaxPictureText {
		first, _, _ := strings.Cut(caption, "\n")
		caption, rest = first, r.Text
	}
	if s.welcome {
		return s.text(ctx, r.Text, kb)
	}
	if _, err := s.c.Send(ctx, PictureMessage(s.to, r.Picture.URL, caption, kb)); err != nil {
		return err
	}
	if rest == "" {
		return nil
	}
	if err := s.c.SendText(ctx, s.to, rest, kb); err != nil {
		s.c.Log.Warn("viber: check details not sent after its picture", "err", err)
	}
	return nil
}
