package viber

import (
	"context"
	"fmt"

	"github.com/paylastic/edge/core/bot"
	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/checks"
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
func (n *Notifier) Notify(ctx context.Context, chk check.Check, notice check.Notice) error {
	if chk.Chat.Messenger != Messenger {
		return fmt.Errorf("viber notify %s: chat is on %q", chk.ID, chk.Chat.Messenger)
	}
	if chk.Chat.ChatID == "" {
		return fmt.Errorf("viber notify %s: no receiver", chk.ID)
	}
	r := bot.Notification(chk, notice)
	err := n.Client.SendText(ctx, chk.Chat.ChatID, r.Text, keyboard(bot.MainKeyboard(chk.Chat.Lang), r.Inline))
	if IsPermanent(err) {
		return nil // logged by the client
	}
	if err != nil {
		return fmt.Errorf("viber notify %s %s: %w", chk.ID, notice.Key(), err)
	}
	return nil
}
