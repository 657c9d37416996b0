package telegram

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"log/slog"
	"net/http"
	"time"

	"github.com/paylastic/edge/core/bot"
	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/httpx"
)

// SecretHeader carries the secret_token given to setWebhook on every update
// (https://core.telegram.org/bots/api#setwebhook).
const SecretHeader = "X-Telegram-Bot-Api-Secret-Token"

// Webhook serves POST /telegram/webhook: Telegram's updates.
//
// It answers 401, reading nothing and sending nothing, without the right
// secret header; 400 for a body that is not an update; 200 once the update
// is handled or deliberately ignored; and 5xx when it should be delivered
// again (storage unavailable, a reply Telegram did not take for now: 429,
// 5xx, network; or the same update being handled by another request).
// An update handled already is answered 200 and not handled again
// (bot.Once): one QR per message, however often Telegram sends it. A reply Telegram refused for good (400, 403 blocked) is
// logged and answered 200: a retry would fail the same way and hold up the
// chat's later updates. Callback queries are always answered.
type Webhook struct {
	Secret string // TELEGRAM_WEBHOOK_SECRET
	Client *Client
	Bot    *bot.Bot
	Now    func() time.Time
	Log    *slog.Logger
}

func (h *Webhook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !h.authorized(r.Header.Get(SecretHeader)) {
		httpx.Error(w, h.Log, errs.E(errs.Unauthorized, "missing or wrong secret token"))
		return
	}
	body, err := httpx.ReadBody(w, r)
	if err != nil {
		httpx.Error(w, h.Log, err)
		return
	}
	var u update
	if err := json.Unmarshal(body, &u); err != nil {
		h.Log.Warn("telegram update not understood", "err", err)
		httpx.Error(w, h.Log, errs.Wrap(errs.Invalid, err, "not a Telegram update"))
		return
	}
	ev, to, ok := event(&u, h.now())
	if !ok {
		w.WriteHeader(http.StatusOK)
		return
	}
	to.c = h.Client
	err = h.Bot.Once(r.Context(), ev, func(ctx context.Context) error { return h.handle(ctx, ev, to) })
	if err != nil {
		bot.AnswerUndelivered(w, h.Log, err, "telegram update", "update", u.UpdateID)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// handle runs the conversation; a callback query nobody answered (the bot
// said nothing, or failed, or panicked) is answered on the way out.
func (h *Webhook) handle(ctx context.Context, ev bot.Event, to *chat) error {
	if to.query != "" {
		defer func() {
			if !to.answered {
				_ = to.Send(ctx, bot.Reply{Kind: bot.Answer})
			}
		}()
	}
	return h.Bot.Handle(ctx, ev, to)
}

// authorized compares the secret in constant time; hashing first makes the
// time independent of the lengths too.
func (h *Webhook) authorized(got string) bool {
	if h.Secret == "" || got == "" {
		return false
	}
	g, want := sha256.Sum256([]byte(got)), sha256.Sum256([]byte(h.Secret))
	return subtle.ConstantTimeCompare(g[:], want[:]) == 1
}

func (h *Webhook) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}
