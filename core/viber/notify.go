package viber

import (
	"fmt"

	"github.com/paylastic/edge/core/bot"
	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/text"
)

var _ bot.Chats = (*Client)(nil)

// Chat is a Sender to the Viber user a check was created by, for its
// notices (bot.Notifier): each message carries the main keyboard in the
// check's language, as Viber shows the last message's keyboard only.
func (c *Client) Chat(to check.Chat) (bot.Sender, error) {
	if to.Messenger != Messenger {
		return nil, fmt.Errorf("viber: chat is on %q", to.Messenger)
	}
	if to.ChatID == "" {
		return nil, fmt.Errorf("viber: no receiver")
	}
	return &chat{c: c, to: to.ChatID, lang: text.Lang(to.Lang)}, nil
}
