package app

import (
	"net/http"

	"github.com/paylastic/edge/core/checks"
	"github.com/paylastic/edge/core/viber"
)

// Viber: POST /viber/webhook when VIBER_AUTH_TOKEN is set (404 otherwise),
// and notifications to checks created on Viber. The one token both signs
// Viber's callbacks and authorises the bot's API calls.
func init() {
	register(func(a *App, mux *http.ServeMux) {
		if a.Config.ViberAuthToken == "" {
			return
		}
		mux.Handle("POST "+viber.WebhookPath, &viber.Webhook{
			Token:  a.Config.ViberAuthToken,
			Client: a.viberClient(),
			Bot:    a.conversation(),
			Now:    a.Deps.Now,
			Log:    a.Deps.Log,
		})
	})
	registerNotifier(viber.Messenger, func(a *App) checks.Notifier {
		if a.Config.ViberAuthToken == "" {
			return nil
		}
		return &viber.Notifier{Client: a.viberClient()}
	})
}

// viberClient calls the REST Bot API through the platform's outbound HTTP.
func (a *App) viberClient() *viber.Client {
	return &viber.Client{
		Token:  a.Config.ViberAuthToken,
		APIURL: a.Config.ViberAPIURL,
		HTTP:   a.Deps.HTTP,
		Log:    a.Deps.Log,
	}
}
