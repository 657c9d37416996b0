package telegram

import (
	"context"
	"fmt"

	"github.com/mymmrac/telego"
)

// WebhookPath is where the product receives updates.
const WebhookPath = "/telegram/webhook"

// AllowedUpdates are the update types the bot handles; Telegram sends no others.
var AllowedUpdates = []string{"message", "callback_query"}

// ValidSecret reports whether s can be a webhook secret_token: 1-256
// characters from A-Z, a-z, 0-9, _ and - (https://core.telegram.org/bots/api#setwebhook).
func ValidSecret(s string) bool {
	if len(s) == 0 || len(s) > 256 {
		return false
	}
	for _, c := range s {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// SetWebhook points the bot's updates at baseURL + WebhookPath with the
// secret Telegram echoes in SecretHeader, for AllowedUpdates only
// (https://core.telegram.org/bots/api#setwebhook). drop discards updates
// waiting for delivery.
func (c *Client) SetWebhook(ctx context.Context, baseURL, secret string, drop bool) error {
	if !ValidSecret(secret) {
		return fmt.Errorf("telegram setWebhook: the secret must be 1-256 characters of A-Z a-z 0-9 _ -")
	}
	p := &telego.SetWebhookParams{URL: baseURL + WebhookPath, SecretToken: secret, AllowedUpdates: AllowedUpdates, DropPendingUpdates: drop}
	return c.call(ctx, "setWebhook", func(b *telego.Bot) error { return b.SetWebhook(ctx, p) })
}

// DeleteWebhook stops webhook delivery (https://core.telegram.org/bots/api#deletewebhook).
func (c *Client) DeleteWebhook(ctx context.Context, drop bool) error {
	p := &telego.DeleteWebhookParams{DropPendingUpdates: drop}
	return c.call(ctx, "deleteWebhook", func(b *telego.Bot) error { return b.DeleteWebhook(ctx, p) })
}

// WebhookInfo returns the webhook's state: its URL, pending updates and the
// last delivery error (https://core.telegram.org/bots/api#getwebhookinfo).
func (c *Client) WebhookInfo(ctx context.Context) (*telego.WebhookInfo, error) {
	var info *telego.WebhookInfo
	err := c.call(ctx, "getWebhookInfo", func(b *telego.Bot) error {
		var err error
		info, err = b.GetWebhookInfo(ctx)
		return err
	})
	return info, err
}
