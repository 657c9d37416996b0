package bot

import (
	"strings"

	"github.com/paylastic/edge/core/checks"
	"github.com/paylastic/edge/core/invoice"
)

// Notification is the message telling an operator about a check, in the
// language the check was created in (inv.Chat.Lang). Messenger notifiers
// (checks.Notifier) send it to inv.Chat.ChatID.
func Notification(inv invoice.Invoice, n invoice.Notice) Reply {
	t := catalogFor(Lang(inv.Chat.Lang))
	id, amount := DisplayID(inv.ID), t.amount(inv.Amount)
	var text string
	switch n.Kind {
	case invoice.NoticePaid:
		text = sprintf(t.noticePaid, id, amount, t.clock(n.At))
	case invoice.NoticeFailed:
		reason := strings.TrimRight(strings.TrimSpace(n.Reason), ". ")
		if reason == "" {
			reason = t.noReason
		}
		text = sprintf(t.noticeFailed, t.clock(n.At), id, amount, clip(reason, 200))
	case invoice.NoticeExpired:
		text = sprintf(t.noticeExpired, id, amount)
	case invoice.NoticeRefunded:
		text = sprintf(t.noticeRefunded, id, amount, t.clock(n.At))
	case invoice.NoticePaidTwice:
		text = sprintf(t.noticePaidTwice, id, amount, t.clock(n.At))
	default:
		text = sprintf(t.noticeUnknown, id, amount, string(n.Kind))
	}
	r := Reply{Kind: Message, Text: text}
	if n.Kind == invoice.NoticePaid || n.Kind == invoice.NoticePaidTwice {
		r.Inline = []Inline{{Text: t.refundButton, Data: RefundPrefix + checks.ShortRef(inv.Ref())}}
	}
	return r
}
