package telegram

import (
	"fmt"
	"strconv"

	"github.com/paylastic/edge/core/bot"
	"github.com/paylastic/edge/core/check"
)

var _ bot.Chats = (*Client)(nil)

// Chat is a Sender to the Telegram chat a check was created in, for its
// notices (bot.Notifier).
func (c *Client) Chat(to check.Chat) (bot.Sender, error) {
	if to.Messenger != Messenger {
		return nil, fmt.Errorf("telegram: chat is on %q", to.Messenger)
	}
	id, err := strconv.ParseInt(to.ChatID, 10, 64)
	if err != nil {
		return nil, fmt.Errorf("telegram: chat id %q: %w", to.ChatID, err)
	}
	return &chat{c: c, id: id}, nil
}
