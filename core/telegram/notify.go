package telegram

import (
	"context"
	"fmt"
	"strconv"

	"github.com/paylastic/edge/core/bot"
	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/checks"
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
func (n *Notifier) Notify(ctx context.Context, chk check.Check, notice check.Notice) error {
	if chk.Chat.Messenger != Messenger {
		return fmt.Errorf("telegram notify %s: chat is on %q", chk.ID, chk.Chat.Messenger)
	}
	chatID, err := strconv.ParseInt(chk.Chat.ChatID, 10, 64)
	if err != nil {
		return fmt.Errorf("telegram notify %s: chat id %q: %w", chk.ID, chk.Chat.ChatID, err)
	}
	r := bot.Notification(chk, notice)
	if len(r.Inline) > 0 {
		err = n.Client.SendInline(ctx, chatID, r.Text, r.Inline)
	} else {
		err = n.Client.SendText(ctx, chatID, r.Text, nil)
	}
	if IsPermanent(err) {
		return nil // logged by the client
	}
	if err != nil {
		return fmt.Errorf("telegram notify %s %s: %w", chk.ID, notice.Key(), err)
	}
	return nil
}
