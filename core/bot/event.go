package bot

import (
	"time"
)

// Kind is what an operator did.
type Kind int

const (
	// Start is the first contact: Telegram's /start (Text holds its
	// payload, e.g. an activation code from a deep link), Viber's
	// conversation_started or subscribed.
	Start Kind = iota + 1
	// Text is a text message. Button labels typed or tapped arrive as text
	// too: Handle recognises them in every language.
	Text
	// Press is a press of a main-keyboard button the messenger identifies by
	// id rather than by its label (Viber's ActionBody). Button is set.
	Press
	// Callback is a press of an inline button under one of the bot's
	// messages. Data is the button's data, e.g. "cancel:…".
	Callback
)

// Event is one thing an operator (or a would-be operator) did.
type Event struct {
	Kind      Kind
	Messenger string // "telegram", "viber": names the operator binding and the check's chat
	UserID    string // the messenger's user id
	ChatID    string // where replies and notifications go
	Name      string // the user's display name, for the operator record
	// Lang is the user's language as the messenger reports it ("en-GB",
	// "uk"); Handle reduces it with Lang.
	Lang   string
	Text   string   // Text: the message; Start: the /start payload
	Button ButtonID // Press: which button
	Data   string   // Callback: the button's data
	// Identity names the message uniquely and stably across redeliveries,
	// e.g. "telegram:{chat id}:{message id}". A check created from a message
	// takes its id from this, so a redelivered message creates nothing new.
	Identity string
	// At is the messenger's time of the message.
	At time.Time
}
