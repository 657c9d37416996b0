package telegram

import (
	"context"
	"slices"
	"testing"

	"github.com/mymmrac/telego"
	tu "github.com/mymmrac/telego/telegoutil"
)

func TestSetWebhook(t *testing.T) {
	fake, bot, _ := newBot(t)
	ctx := context.Background()
	secret := bot.SecretToken()
	err := bot.SetWebhook(ctx, tu.Webhook("https://bot.example.com/tg").
		WithSecretToken(secret).
		WithAllowedUpdates(telego.MessageUpdates, telego.CallbackQueryUpdates).
		WithDropPendingUpdates())
	if err != nil {
		t.Fatalf("set webhook: %v", err)
	}

	got := fake.Webhook()
	want := Webhook{
		URL: "https://bot.example.com/tg", SecretToken: secret, AllowedUpdates: []string{"message", "callback_query"},
		MaxConnections: 40, DropPendingUpdates: true,
	}
	if got.URL != want.URL || got.SecretToken != want.SecretToken || !slices.Equal(got.AllowedUpdates, want.AllowedUpdates) ||
		got.MaxConnections != want.MaxConnections || got.DropPendingUpdates != want.DropPendingUpdates {
		t.Errorf("webhook = %+v, want %+v", got, want)
	}
	c := lastCall(t, fake, "setWebhook")
	if got, want := c.Param("allowed_updates"), `["message","callback_query"]`; got != want {
		t.Errorf("allowed_updates param = %s, want %s", got, want)
	}

	info, err := bot.GetWebhookInfo(ctx)
	if err != nil {
		t.Fatalf("get webhook info: %v", err)
	}
	if info.URL != want.URL || info.MaxConnections != 40 || !slices.Equal(info.AllowedUpdates, want.AllowedUpdates) {
		t.Errorf("webhook info = %+v, want url, 40 connections, allowed updates", info)
	}

	// allowed_updates omitted keeps the previous list, as on Telegram.
	if err := bot.SetWebhook(ctx, tu.Webhook("https://bot.example.com:8443/tg2")); err != nil {
		t.Fatalf("set webhook again: %v", err)
	}
	if got := fake.Webhook(); got.URL != "https://bot.example.com:8443/tg2" || got.SecretToken != "" || !slices.Equal(got.AllowedUpdates, want.AllowedUpdates) {
		t.Errorf("webhook after second set = %+v, want new URL, no secret, same allowed updates", got)
	}

	if _, err := bot.GetUpdates(ctx, &telego.GetUpdatesParams{}); apiErr(err) == nil || apiErr(err).ErrorCode != 409 {
		t.Errorf("getUpdates with a webhook: got %v, want 409", err)
	}
	if err := bot.DeleteWebhook(ctx, &telego.DeleteWebhookParams{}); err != nil {
		t.Fatalf("delete webhook: %v", err)
	}
	if got := fake.Webhook().URL; got != "" {
		t.Errorf("webhook URL after delete = %q, want empty", got)
	}
}

func TestWebhookURL(t *testing.T) {
	tests := []struct {
		url  string
		want *apiError
	}{
		{"https://bot.example.com/tg", nil},
		{"https://bot.example.com:88/tg", nil},
		{"https://bot.example.com:8080/tg", errWebhookPort},
		{"http://bot.example.com/tg", errWebhookHTTPS},
		{"http://127.0.0.1:8787/tg", nil},
		{"http://localhost:8787/tg", nil},
		{"ftp://localhost/tg", errWebhookHTTPS},
		{"not a url", errWebhookHTTPS},
	}
	for _, tt := range tests {
		if got := checkWebhookURL(tt.url); got != tt.want {
			t.Errorf("checkWebhookURL(%q) = %v, want %v", tt.url, got, tt.want)
		}
	}
}
