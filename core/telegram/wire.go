package telegram

import "encoding/json"

// update is the part of a Bot API Update (https://core.telegram.org/bots/api#update)
// that the bot reads. Webhooks are decoded into it rather than telego.Update:
// encoding/json builds its field tables for a type the first time it meets
// it, and every Worker request is a fresh instance, so decoding into
// telego.Update (Message alone has about a hundred fields, most of them
// structs of their own) cost every update ~3 ms natively and several times
// that in workerd. update_test.go's TestWireMatchesTelego checks these
// fields against telego's decoding of the same updates.
type update struct {
	UpdateID      int64          `json:"update_id"`
	Message       *message       `json:"message"`
	CallbackQuery *callbackQuery `json:"callback_query"`
}

// user is https://core.telegram.org/bots/api#user, in part.
type user struct {
	ID           int64  `json:"id"`
	IsBot        bool   `json:"is_bot"`
	FirstName    string `json:"first_name"`
	LastName     string `json:"last_name"`
	Username     string `json:"username"`
	LanguageCode string `json:"language_code"`
}

// message is https://core.telegram.org/bots/api#message, in part; its date
// is 0 for an InaccessibleMessage (a callback's message too old to show).
type message struct {
	MessageID int   `json:"message_id"`
	From      *user `json:"from"`
	Chat      struct {
		ID   int64  `json:"id"`
		Type string `json:"type"`
	} `json:"chat"`
	Date    int64             `json:"date"`
	Text    *string           `json:"text"` // nil: no text field (a service message, or content)
	Caption string            `json:"caption"`
	Photo   []json.RawMessage `json:"photo"`
	// What a person may send without text (hasContent): only whether it is
	// there matters, not its shape.
	Sticker   json.RawMessage `json:"sticker"`
	Document  json.RawMessage `json:"document"`
	Animation json.RawMessage `json:"animation"`
	Voice     json.RawMessage `json:"voice"`
	Video     json.RawMessage `json:"video"`
	VideoNote json.RawMessage `json:"video_note"`
	Audio     json.RawMessage `json:"audio"`
	Contact   json.RawMessage `json:"contact"`
	Location  json.RawMessage `json:"location"`
}

// callbackQuery is https://core.telegram.org/bots/api#callbackquery, in part.
type callbackQuery struct {
	ID      string   `json:"id"`
	From    user     `json:"from"`
	Message *message `json:"message"` // absent for an inline-mode message
	Data    string   `json:"data"`
}

// present reports whether an optional object field was sent (and not null).
func present(r json.RawMessage) bool { return len(r) > 0 && string(r) != "null" }
