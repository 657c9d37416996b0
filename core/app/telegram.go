package app

import (
	"net/http"

	"github.com/paylastic/edge/core/checks"
	"github.com/paylastic/edge/core/telegram"
)

// Telegram: POST /telegram/webhook when both TELEGRAM_BOT_TOKEN and
// TELEGRAM_WEBHOOK_SECRET are set (404 otherwise), and notifications to
// checks created on Telegram when the token is set.
func init() {
	register(func(a *App, mux *http.ServeMux) {
		if a.Config.TelegramBotToken == "" || a.Config.TelegramWebhookSecret == "" {
			return
		}
		mux.Handle("POST /telegram/webhook", &telegram.Webhook{
			Secret: a.Config.TelegramWebhookSecret,
			Client: a.telegramClient(),
			Bot:    a.conversation(),
			Now:    a.Deps.Now,
			Log:    a.Deps.Log,
		})
	})
	registerNotifier(telegram.Messenger, func(a *App) checks.Notifier {
		if a.Config.TelegramBotToken == "" {
			return nil
		}
		return &telegram.Notifier{Client: a.telegramClient()}
	})
}

// telegramClient calls the Bot API through the platform's outbound HTTP.
func (a *App) telegramClient() *telegram.Client {
	return &telegram.Client{
		Token:  a.Config.TelegramBotToken,
		APIURL: a.Config.TelegramAPIURL,
		HTTP:   a.Deps.HTTP,
		Log:    a.Deps.Log,
	}
}
