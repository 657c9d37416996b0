package viber

import (
	"fmt"

	"github.com/paylastic/edge/core/bot"
	"github.com/paylastic/edge/core/check"
)

var _ bot.Chats = (*Client)(nil)

// Chat is a Sender to the Viber user a check was created by, for its
// notices (bot.Notifier) and the daily report: each message carries the
// keyboard the reply names (the bot sets the operator's on each).
func (c *Client) Chat(to check.Chat) (bot.Sender, error) {
	if to.Messenger != Messenger {
		return nil, fmt.Errorf("viber: chat is on %q", to.Messenger)
	}
	if to.ChatID == "" {
		return nil, fmt.Errorf("viber: no receiver")
	}
	return &chat{c: c, to: to.ChatID}, nil
}
