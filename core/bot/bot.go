// Package bot is the operator's conversation, the same on every messenger:
// activation with a one-time code, creating a check from a typed amount,
// listing today's checks, cancelling a check and the notifications about
// it. It knows nothing of Telegram or Viber: a messenger adapter turns what
// arrives into an Event, calls Handle with a Sender bound to that chat, and
// turns each Reply into its own API calls.
//
// The conversation keeps no state between messages (invariant 8,
// docs/invariants.md): any
// amount-like text from an operator is a new check, and the buttons only
// prompt. Every user-facing sentence lives in the message catalogs
// (catalog_uk.go, catalog_en.go).
package bot

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"time"

	"github.com/paylastic/edge/core/cas"
	"github.com/paylastic/edge/core/checks"
	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/merchant"
	"github.com/paylastic/edge/core/once"
	"github.com/paylastic/edge/core/text"
)

// Sender delivers replies to the chat an event came from. An adapter binds
// one to each event. Send returns an error when the messenger refused or
// could not be reached; Handle stops there and returns it, so the adapter
// can answer its webhook with a status that makes the messenger retry
// (temporary failures) or not (permanent ones: the adapter decides).
type Sender interface {
	Send(ctx context.Context, r Reply) error
	// PicturesByURL reports whether the messenger takes pictures by URL
	// only (Viber fetches Pic.URL itself). Then Handle does not draw the QR
	// code and Pic.PNG is nil: drawing it costs a few milliseconds of CPU a
	// Worker request cannot spare.
	PicturesByURL() bool
}

// Permanent reports whether err is a messenger's refusal that retrying
// cannot change (Telegram's 400 or 403, Viber's "receiver not subscribed"):
// the messengers' API errors say so with Temporary, as net.Error does.
// Anything else (no answer, flood control, a server error) may succeed later.
func Permanent(err error) bool {
	var t interface{ Temporary() bool }
	return errors.As(err, &t) && !t.Temporary()
}

// Bot runs the conversation. Every field is required.
type Bot struct {
	Checks    *checks.Service
	Merchants merchant.Store
	// Store is the consistent store, where Once marks the events handled.
	Store cas.Store
	Now   func() time.Time
	// BaseURL is PUBLIC_BASE_URL without a trailing slash: payment links are
	// BaseURL/p/{ref} and their QR pictures BaseURL/p/{ref}/qr.png.
	BaseURL string
	Log     *slog.Logger
	// Chats are the configured messengers by name, for messages no event
	// asked for (the daily report); nil sends none.
	Chats map[string]Chats
}

// How Once remembers events: a claim lapses after UpdateLease (longer than
// any handling takes), and an event handled is remembered UpdateKeep, longer
// than a messenger redelivers (Telegram keeps an update 24 hours, Viber
// retries for an hour).
const (
	UpdateLease = time.Minute
	UpdateKeep  = 25 * time.Hour
)

// Once runs step, the adapter's handling of ev (Handle and whatever the
// adapter adds around it), unless ev was handled already: however often and
// however concurrently the messenger delivers one event (ev.Identity), one
// delivery handles it and sends its replies. It returns nil for an event
// handled before, step's error (the event is handled again when delivered
// again, unless the error is Permanent), or an errs.Unavailable wrapping
// once.ErrBusy while another request handles it: the messenger should
// deliver it again later, when it is done or its handler has died.
func (b *Bot) Once(ctx context.Context, ev Event, step func(context.Context) error) error {
	if ev.Identity == "" {
		return step(ctx)
	}
	// The operator Handle will need is read while the event is claimed: on
	// the Worker both are D1 round trips, and the request waits once for
	// the two. Waited for before returning, whatever happened: nothing of
	// this request may run on into the next one on a long-lived instance.
	read := &operatorRead{messenger: ev.Messenger, user: ev.UserID, done: make(chan struct{})}
	go func() {
		defer close(read.done)
		read.op, read.err = b.Merchants.Operator(ctx, ev.Messenger, ev.UserID)
	}()
	defer func() { <-read.done }()
	g := once.Gate{Store: b.Store, Now: b.Now, Lease: UpdateLease, Keep: UpdateKeep, Final: Permanent}
	_, err := g.Do(context.WithValue(ctx, operatorReadKey{}, read), "u:"+ev.Identity, step)
	return err
}

// operatorRead is Once's read of the operator of an event, for Handle.
type operatorRead struct {
	messenger, user string
	op              merchant.Operator
	err             error
	done            chan struct{}
}

type operatorReadKey struct{}

// operator is the operator who sent ev (merchant.Store.Operator): Once's
// read of it when ctx carries one for this user, else a read now.
func (b *Bot) operator(ctx context.Context, ev Event) (merchant.Operator, error) {
	if r, ok := ctx.Value(operatorReadKey{}).(*operatorRead); ok && r.messenger == ev.Messenger && r.user == ev.UserID {
		<-r.done
		return r.op, r.err
	}
	return b.Merchants.Operator(ctx, ev.Messenger, ev.UserID)
}

// Handle answers one event. It returns nil when the event is fully handled
// (answered, or deliberately ignored), and an error when the messenger
// should deliver the event again: storage unavailable, a reply that could
// not be sent, a check that could not be saved. Handling the same event
// twice creates nothing twice (see Event.Identity).
func (b *Bot) Handle(ctx context.Context, ev Event, out Sender) error {
	reported := strings.TrimSpace(ev.Lang) != ""
	ev.Lang = text.Lang(ev.Lang)
	c := &conv{b: b, ev: ev, out: out, t: catalogFor(ev.Lang), langReported: reported}
	op, err := b.operator(ctx, ev)
	switch {
	case err == nil:
		c.op = &op
		c.keepLang(ctx)
	case errors.Is(err, merchant.ErrRemoved):
		return c.removed(ctx, op)
	case errs.CodeOf(err) != errs.NotFound:
		return c.fail(ctx, err)
	}
	switch ev.Kind {
	case Start:
		return c.start(ctx)
	case Press:
		return c.press(ctx, ev.Button)
	case Text:
		return c.text(ctx)
	case Callback:
		return c.callback(ctx)
	}
	return nil
}

// conv is one event being handled.
type conv struct {
	b   *Bot
	ev  Event
	op  *merchant.Operator // nil for a user who is not an operator
	t   *catalog
	out Sender
	// langReported: the messenger said the user's language (ev.Lang is
	// theirs, not the default)
	langReported bool
}

// say sends a text message; operators get the main keyboard with it.
func (c *conv) say(ctx context.Context, text string) error {
	r := Reply{Kind: Message, Text: text}
	if c.op != nil {
		r.Keyboard = c.keyboard()
	}
	return c.send(ctx, r)
}

// send sends r, with the operator's keyboard when r names none (see
// Reply.Keyboard).
func (c *conv) send(ctx context.Context, r Reply) error {
	r.NoKeyboard = c.op == nil
	if c.op != nil && r.Keyboard == nil {
		r.Keyboard = c.keyboard()
	}
	if err := c.out.Send(ctx, r); err != nil {
		return &SendError{Kind: r.Kind, Err: err}
	}
	return nil
}

// fail handles an error the operator cannot fix by typing something else.
// Storage trouble is returned, so the messenger delivers the event again;
// a callback still gets its answer first (buttons must never spin).
func (c *conv) fail(ctx context.Context, err error) error {
	if c.ev.Kind == Callback {
		_ = c.send(ctx, Reply{Kind: Answer, Text: c.t.tryLater})
	}
	return err
}

// SendError is a reply the messenger did not take. Err is the adapter's error.
type SendError struct {
	Kind ReplyKind
	Err  error
}

func (e *SendError) Error() string { return "send " + e.Kind.String() + ": " + e.Err.Error() }
func (e *SendError) Unwrap() error { return e.Err }

// IsSendError reports whether err (or its chain) is a failed Send.
func IsSendError(err error) bool {
	var se *SendError
	return errors.As(err, &se)
}
