package bot

import (
	"strings"

	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/checks"
)

// Notification is the message telling an operator about a check, in the
// language the check was created in (chk.Chat.Lang). Messenger notifiers
// (checks.Notifier) send it to chk.Chat.ChatID.
func Notification(chk check.Check, n check.Notice) Reply {
	t := catalogFor(Lang(chk.Chat.Lang))
	id, amount := DisplayID(chk.ID), t.amount(chk.Amount)
	var text string
	switch n.Kind {
	case check.NoticePaid:
		text = sprintf(t.noticePaid, id, amount, t.clock(n.At))
	case check.NoticeFailed:
		reason := strings.TrimRight(strings.TrimSpace(n.Reason), ". ")
		if reason == "" {
			reason = t.noReason
		}
		text = sprintf(t.noticeFailed, t.clock(n.At), id, amount, clip(reason, 200))
	case check.NoticeExpired:
		text = sprintf(t.noticeExpired, id, amount)
	case check.NoticeRefunded:
		text = sprintf(t.noticeRefunded, id, amount, t.clock(n.At))
	case check.NoticePaidTwice:
		text = sprintf(t.noticePaidTwice, id, amount, t.clock(n.At))
	default:
		text = sprintf(t.noticeUnknown, id, amount, string(n.Kind))
	}
	r := Reply{Kind: Message, Text: text}
	if n.Kind == check.NoticePaid || n.Kind == check.NoticePaidTwice {
		r.Inline = []Inline{{Text: t.refundButton, Data: RefundPrefix + checks.Handle(chk.Ref())}}
	}
	return r
}
