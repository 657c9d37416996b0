package bot

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/checks"
	"github.com/paylastic/edge/core/merchant"
	"github.com/paylastic/edge/core/text"
)

// Chats opens a Sender to a check's chat on one messenger (the Telegram and
// Viber clients).
type Chats interface {
	Chat(c check.Chat) (Sender, error)
}

// Notifier tells operators about their checks (checks.Notifier): the
// notice as Notification words it, through the messenger the check was
// created on, to the chat it was created in.
type Notifier struct {
	// Messengers are the configured messengers, by check.Chat.Messenger.
	Messengers map[string]Chats
	Log        *slog.Logger
	// Merchants, when set, finds the owners who asked for every check's
	// notices (Merchant.OwnerNotices) and sends them a copy.
	Merchants *merchant.Store
}

var _ checks.Notifier = (*Notifier)(nil)

// Notify sends the notice. It returns an error, leaving the notice pending
// for the scheduled pass, when the messenger is not configured or could not
// take it now (flood control, a server error, no answer). A refusal for good
// (the chat is gone, the operator blocked the bot) is logged and returns
// nil: retrying every pass would cost a write each time and never succeed.
func (n *Notifier) Notify(ctx context.Context, chk check.Check, notice check.Notice) error {
	m, ok := n.Messengers[chk.Chat.Messenger]
	if !ok || m == nil {
		return fmt.Errorf("notify %s: messenger %q is not configured", chk.ID, chk.Chat.Messenger)
	}
	to, err := m.Chat(chk.Chat)
	if err != nil {
		return fmt.Errorf("notify %s: %w", chk.ID, err)
	}
	r := Notification(chk, notice)
	r.Keyboard = n.keyboard(ctx, chk)
	// The shop's settings are read while the notice is being sent: on the
	// Worker both are round trips to JavaScript, and the request waits
	// once for the two instead of once for each.
	shop := make(chan shopRead, 1)
	if n.Merchants != nil {
		go func() {
			m, err := n.Merchants.Get(ctx, chk.Merchant)
			shop <- shopRead{m, err}
		}()
	}
	err = to.Send(ctx, r)
	if n.Merchants != nil {
		// waited for even if the send failed: nothing of this request may
		// be left running into the next one on a long-lived instance
		sr := <-shop
		if err == nil {
			n.copyToOwners(ctx, chk, notice, sr)
		}
	}
	if Permanent(err) {
		n.Log.Error("notice refused for good, dropped", "check", chk.ID, "notice", notice.Key(), "messenger", chk.Chat.Messenger, "err", err)
		return nil
	}
	if err != nil {
		return fmt.Errorf("notify %s %s: %w", chk.ID, notice.Key(), err)
	}
	return nil
}

// Notification is the message telling an operator about a check, in the
// language the check was created in (chk.Chat.Lang). Notifier sends it to
// chk.Chat.
func Notification(chk check.Check, n check.Notice) Reply {
	t := catalogFor(text.Lang(chk.Chat.Lang))
	id, amount := check.ShortID(chk.ID), t.amount(chk.Amount)
	var msg string
	switch n.Kind {
	case check.NoticePaid:
		msg = sprintf(t.noticePaid, id, amount, t.clock(n.At))
	case check.NoticeFailed:
		reason := strings.TrimRight(strings.TrimSpace(n.Reason), ". ")
		if reason == "" {
			reason = t.noReason
		}
		msg = sprintf(t.noticeFailed, t.clock(n.At), id, amount, text.Clip(reason, 200))
	case check.NoticeExpired:
		msg = sprintf(t.noticeExpired, id, amount)
	case check.NoticeRefunded:
		msg = sprintf(t.noticeRefunded, id, amount, t.clock(n.At))
	case check.NoticePaidTwice:
		msg = sprintf(t.noticePaidTwice, id, amount, t.clock(n.At))
	case check.NoticeBankRefused:
		msg = sprintf(t.noticeBankRefused, id, amount, text.Clip(strings.TrimRight(strings.TrimSpace(n.Reason), ". "), 200))
	default:
		msg = sprintf(t.noticeUnknown, id, amount, string(n.Kind))
	}
	if n.Test && n.Kind != check.NoticeExpired {
		msg += "\n" + t.testPayment
	}
	r := Reply{Kind: Message, Text: msg}
	if n.Kind == check.NoticePaid || n.Kind == check.NoticePaidTwice {
		r.Inline = []Inline{{Text: t.refundButton, Data: RefundPrefix + checks.Handle(chk.Ref())}}
	}
	return r
}

// shopRead is the read of a check's merchant, for copyToOwners.
type shopRead struct {
	m   merchant.Merchant
	err error
}

// copyToOwners sends the shop's owners who asked for it (Merchant.
// OwnerNotices) a copy of a notice of another operator's check. The copy is
// a courtesy and is not retried: a failure here must not make the
// scheduled pass send the operator's own notice twice, so it is logged.
// It costs one consistent-store read of the merchant per notice, and a
// list of the staff when the setting is on.
func (n *Notifier) copyToOwners(ctx context.Context, chk check.Check, notice check.Notice, shop shopRead) {
	m, err := shop.m, shop.err
	if err != nil || !m.OwnerNotices {
		return
	}
	ops, err := n.Merchants.Operators(ctx, chk.Merchant)
	if err != nil {
		n.Log.Warn("owner notice copies: staff", "check", chk.ID, "err", err)
		return
	}
	for _, op := range ops {
		if !op.IsOwner() || op.Messenger == chk.Chat.Messenger && op.UserID == chk.Chat.UserID {
			continue
		}
		m, ok := n.Messengers[op.Messenger]
		if !ok || m == nil {
			continue
		}
		to, err := m.Chat(check.Chat{Messenger: op.Messenger, ChatID: op.UserID, UserID: op.UserID, Lang: chk.Chat.Lang})
		if err == nil {
			r := Notification(chk, notice)
			r.Keyboard = OwnerKeyboard(chk.Chat.Lang)
			r.Text += "\n" + sprintf(catalogFor(text.Lang(chk.Chat.Lang)).noticeBy, chatName(chk.Chat, ops))
			err = to.Send(ctx, r)
		}
		if err != nil {
			n.Log.Warn("owner notice copy not sent", "check", chk.ID, "notice", notice.Key(), "owner", op.Messenger+":"+op.UserID, "err", err)
		}
	}
}

// keyboard is the keyboard of the operator whose chat made chk, by the
// role the check recorded. A check from before it recorded one costs a
// read of their binding (Merchants); a cashier's keyboard when that cannot
// be told (no Merchants, the binding gone or unreadable): buttons an owner
// lacks for one message are answered all the same.
func (n *Notifier) keyboard(ctx context.Context, chk check.Check) []Button {
	if r := merchant.Role(chk.Role); r.Valid() {
		return KeyboardOf(merchant.Operator{Role: r}, chk.Chat.Lang)
	}
	if n.Merchants != nil {
		op, err := n.Merchants.Operator(ctx, chk.Chat.Messenger, chk.Chat.UserID)
		if err == nil && op.Merchant == chk.Merchant {
			return KeyboardOf(op, chk.Chat.Lang)
		}
	}
	return MainKeyboard(chk.Chat.Lang)
}

// chatName names the operator whose chat made a check, from the staff.
func chatName(c check.Chat, ops []merchant.Operator) string {
	for _, op := range ops {
		if op.Messenger == c.Messenger && op.UserID == c.UserID {
			return operatorName(op)
		}
	}
	return c.Messenger + " " + c.UserID
}
