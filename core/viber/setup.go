package viber

import (
	"context"
	"fmt"
	"strings"
)

// EventTypes are the optional callbacks the bot asks for. message,
// subscribed and unsubscribed come whatever is asked; delivered and seen
// are left out: the bot does nothing with them, and each would be a Worker
// request.
var EventTypes = []string{EventConversationStarted, EventFailed, EventSubscribed, EventUnsubscribed}

// WebhookRequest is the set_webhook body
// (https://creators.viber.com/docs/bots-api/getting-started/web-hooks).
type WebhookRequest struct {
	URL        string   `json:"url"` // "" removes the webhook
	EventTypes []string `json:"event_types,omitempty"`
	SendName   bool     `json:"send_name,omitempty"`
	SendPhoto  bool     `json:"send_photo,omitempty"`
}

// NewWebhookRequest asks for callbacks at baseURL + WebhookPath, for
// EventTypes, with the users' names (kept on operator records) and without
// their photos.
func NewWebhookRequest(baseURL string) WebhookRequest {
	return WebhookRequest{URL: strings.TrimRight(baseURL, "/") + WebhookPath, EventTypes: EventTypes, SendName: true}
}

// SetWebhook points the bot's callbacks at baseURL + WebhookPath. Viber
// checks the URL at once with a signed "webhook" callback, which must be
// answered 200, so the product must already run there with the same auth
// token. baseURL must be https with a certificate from a public CA.
// It returns the event types Viber will send.
func (c *Client) SetWebhook(ctx context.Context, baseURL string) ([]string, error) {
	if !strings.HasPrefix(baseURL, "https://") {
		return nil, fmt.Errorf("viber set_webhook: the webhook must be an HTTPS URL, not %q", baseURL)
	}
	var r struct {
		EventTypes []string `json:"event_types"`
	}
	if err := c.call(ctx, "set_webhook", NewWebhookRequest(baseURL), &r); err != nil {
		return nil, err
	}
	return r.EventTypes, nil
}

// DeleteWebhook removes the webhook (set_webhook with an empty URL). Viber
// then also stops one-on-one chats with the bot.
func (c *Client) DeleteWebhook(ctx context.Context) error {
	return c.call(ctx, "set_webhook", WebhookRequest{}, nil)
}

// Account is what get_account_info tells about the bot
// (https://developers.viber.com/docs/api/rest-bot-api/#get-account-info).
type Account struct {
	ID               string   `json:"id"`
	Name             string   `json:"name"`
	URI              string   `json:"uri"`
	Webhook          string   `json:"webhook"`
	EventTypes       []string `json:"event_types"`
	SubscribersCount int      `json:"subscribers_count"`
}

// AccountInfo returns the bot's account, its webhook and event types.
func (c *Client) AccountInfo(ctx context.Context) (*Account, error) {
	var a Account
	if err := c.call(ctx, "get_account_info", struct{}{}, &a); err != nil {
		return nil, err
	}
	return &a, nil
}
