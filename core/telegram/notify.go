package telegram

import (
	"context"
	"fmt"
	"strconv"

	"github.com/paylastic/edge/core/bot"
	"github.com/paylastic/edge/core/checks"
	"github.com/paylastic/edge/core/invoice"
)

// Notifier tells operators on Telegram about their checks: paid, a failed
// attempt, expired, refunded (bot.Notification), in the chat and language
// the check was created in.
type Notifier struct{ Client *Client }

var _ checks.Notifier = (*Notifier)(nil)

// Notify sends the notice. It returns an error, leaving the notice pending
// for the scheduled pass, when Telegram could not take it now (429, 5xx,
// network). A refusal for good (400 chat not found, 403 blocked by the user)
// is logged and returns nil: retrying every pass would cost a KV write each
// time and could never succeed.
func (n *Notifier) Notify(ctx context.Context, inv invoice.Invoice, notice invoice.Notice) error {
	if inv.Chat.Messenger != Messenger {
		return fmt.Errorf("telegram notify %s: chat is on %q", inv.ID, inv.Chat.Messenger)
	}
	chatID, err := strconv.ParseInt(inv.Chat.ChatID, 10, 64)
	if err != nil {
		return fmt.Errorf("telegram notify %s: chat id %q: %w", inv.ID, inv.Chat.ChatID, err)
	}
	r := bot.Notification(inv, notice)
	if len(r.Inline) > 0 {
		err = n.Client.SendInline(ctx, chatID, r.Text, r.Inline)
	} else {
		err = n.Client.SendText(ctx, chatID, r.Text, nil)
	}
	if IsPermanent(err) {
		return nil // logged by the client
	}
	if err != nil {
		return fmt.Errorf("telegram notify %s %s: %w", inv.ID, notice.Key(), err)
	}
	return nil
}
