package viber

import (
	"context"
	"fmt"

	"github.com/paylastic/edge/core/bot"
	"github.com/paylastic/edge/core/checks"
	"github.com/paylastic/edge/core/invoice"
)

// Notifier tells operators on Viber about their checks: paid, a failed
// attempt, expired, refunded (bot.Notification), to the user and in the
// language the check was created in, with the main keyboard (Viber shows the
// last message's keyboard only).
type Notifier struct{ Client *Client }

var _ checks.Notifier = (*Notifier)(nil)

// Notify sends the notice. It returns an error, leaving the notice pending
// for the scheduled pass, when Viber could not take it now (status 12 too
// many requests, 5xx, network). A refusal for good (the operator
// unsubscribed, bad data) is logged and returns nil: retrying every pass
// would cost a KV write each time and could never succeed.
func (n *Notifier) Notify(ctx context.Context, inv invoice.Invoice, notice invoice.Notice) error {
	if inv.Chat.Messenger != Messenger {
		return fmt.Errorf("viber notify %s: chat is on %q", inv.ID, inv.Chat.Messenger)
	}
	if inv.Chat.ChatID == "" {
		return fmt.Errorf("viber notify %s: no receiver", inv.ID)
	}
	r := bot.Notification(inv, notice)
	err := n.Client.SendText(ctx, inv.Chat.ChatID, r.Text, keyboard(bot.MainKeyboard(inv.Chat.Lang), r.Inline))
	if IsPermanent(err) {
		return nil // logged by the client
	}
	if err != nil {
		return fmt.Errorf("viber notify %s %s: %w", inv.ID, notice.Key(), err)
	}
	return nil
}
