package bot

// ReplyKind is what an adapter must do with a Reply.
type ReplyKind int

const (
	// Message is a text message to the chat, with the main keyboard when
	// Keyboard is set.
	Message ReplyKind = iota + 1
	// Picture is the QR code of a payment link with Text as its caption and
	// Inline buttons under it. Telegram uploads Picture.PNG; Viber sends
	// pictures by URL and uses Picture.URL.
	Picture
	// Edit changes the bot's message that carried the pressed inline button
	// (Callback events only): its text or caption becomes Text and its
	// inline buttons become Inline (none: removed). Messengers that cannot
	// edit send Text as a new message.
	Edit
	// Answer is the short reply to an inline button press (Telegram's
	// answerCallbackQuery; Text may be empty). Handle sends at most one per
	// Callback event; adapters that must always answer do so when Handle
	// sent none. Messengers without such answers may show Text as a message
	// unless an Edit already said it.
	Answer
)

func (k ReplyKind) String() string {
	switch k {
	case Message:
		return "message"
	case Picture:
		return "picture"
	case Edit:
		return "edit"
	case Answer:
		return "answer"
	}
	return "reply"
}

// Reply is one thing to send. Texts are plain text: no markup to escape, the
// same on every messenger (links are made clickable by the apps).
type Reply struct {
	Kind    ReplyKind
	Text    string
	Picture *Pic
	// Keyboard is the operator's keyboard in their language (KeyboardOf),
	// set on every reply to an operator: Telegram shows it with a text
	// message and keeps it, Viber needs it with every message. nil on
	// replies to anyone else.
	Keyboard []Button
	Inline   []Inline // buttons under the message or picture
	// NoKeyboard is set on every reply to a user who is not an operator:
	// no operator keyboard, even where a messenger re-sends it with every
	// message (Viber).
	NoKeyboard bool
}

// Pic is a QR picture of a payment link.
type Pic struct {
	PNG  []byte // the picture, for messengers that upload; nil when Sender.PicturesByURL
	URL  string // the link + "/qr.png", for messengers that send by URL
	Link string // the payment link the picture encodes
}

// Inline is a button under a message; pressing it is a Callback with Data
// (at most 64 bytes, Telegram's limit), or, if URL is set, opens URL in
// the operator's browser and sends nothing.
type Inline struct {
	Text string
	Data string
	URL  string
}
