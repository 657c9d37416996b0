// Package telegram adapts the operator's conversation (package bot) to the
// Telegram Bot API (https://core.telegram.org/bots/api): it authenticates
// and parses webhook updates into bot events, turns bot replies into Bot API
// calls, and delivers check notifications, over the platform's
// *http.Client. The calls of a request are written by hand (botapi.go);
// github.com/mymmrac/telego makes the CLI's setup calls.
//
// telegoutil is not used: it imports telegohandler, whose package-level
// regexp would be compiled at the start of every Worker request.
package telegram

import (
	"context"
	"fmt"
	"net/http"

	"github.com/mymmrac/telego"
	ta "github.com/mymmrac/telego/telegoapi"
)

// Messenger is the name of this messenger in operator bindings and checks.
const Messenger = "telegram"

// DefaultAPIURL is the Bot API server.
const DefaultAPIURL = "https://api.telegram.org"

// Client calls the Bot API for one bot: the calls a request makes by hand
// (botapi.go, send.go), the CLI's setup calls through a telego bot built on
// first use (setup.go). A Client is used by one request at a time.
type Client struct {
	Token  string       // TELEGRAM_BOT_TOKEN
	APIURL string       // TELEGRAM_API_URL; DefaultAPIURL if empty
	HTTP   *http.Client // outbound HTTP; http.DefaultClient if nil

	api *telego.Bot
}

// Bot returns the telego bot of the setup calls, building it on first use.
// It fails only for a token of the wrong shape (telego.ErrInvalidToken).
func (c *Client) Bot() (*telego.Bot, error) {
	if c.api != nil {
		return c.api, nil
	}
	hc, url := c.HTTP, c.APIURL
	if hc == nil {
		hc = http.DefaultClient
	}
	if url == "" {
		url = DefaultAPIURL
	}
	b, err := telego.NewBot(c.Token,
		telego.WithAPICaller(ta.HTTPCaller{Client: hc}),
		telego.WithAPIServer(url),
		telego.WithDiscardLogger(),
	)
	if err != nil {
		return nil, fmt.Errorf("telegram bot: %w", err)
	}
	c.api = b
	return b, nil
}

// call runs one setup method with the built bot and classifies its failure
// (see APIError).
func (c *Client) call(ctx context.Context, method string, f func(*telego.Bot) error) error {
	b, err := c.Bot()
	if err != nil {
		return c.fail(method, err)
	}
	if err := f(b); err != nil {
		return c.fail(method, err)
	}
	return nil
}
