package viber

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/paylastic/edge/core/bot"
	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/httpx"
	"github.com/paylastic/edge/core/text"
)

// SignatureHeader carries the hex HMAC-SHA256 of the raw callback body keyed
// by the auth token (https://developers.viber.com/docs/api/rest-bot-api/#callbacks).
const SignatureHeader = "X-Viber-Content-Signature"

// WebhookPath is where the product receives callbacks.
const WebhookPath = "/viber/webhook"

// Webhook serves POST /viber/webhook: Viber's callbacks.
//
// It answers 403, parsing nothing and sending nothing, unless the body is
// signed with the auth token; 400 for a body that is not a callback; and
// otherwise:
//   - webhook (the check of a new webhook URL): 200;
//   - conversation_started: 200 with the welcome message (send_message JSON
//     without a receiver, keyboard included) as the body;
//   - message: 200 once answered, or 5xx when Viber should deliver it again
//     (storage unavailable, a reply Viber did not take for now: status 12,
//     5xx, network). A reply Viber refused for good (receiver not
//     subscribed, bad data) is logged and answered 200: a retry would fail
//     the same way;
//   - subscribed, unsubscribed, delivered, seen, failed, and unknown types:
//     logged and answered 200, nothing done.
//
// A redelivered message is answered 200 and not handled again (bot.Once,
// keyed by "viber:{user id}:{message_token}", Callback.Identity): one
// answer per message, however often and however concurrently Viber sends
// it; while another request handles it, 503.
type Webhook struct {
	Token  string // VIBER_AUTH_TOKEN: the API key and the signature key
	Client *Client
	Bot    *bot.Bot
	Now    func() time.Time
	Log    *slog.Logger
}

func (h *Webhook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := httpx.ReadBody(w, r)
	if err != nil {
		httpx.Error(w, h.Log, err)
		return
	}
	if !Verify(h.Token, body, r.Header.Get(SignatureHeader)) {
		h.Log.Warn("viber callback with a bad signature")
		// 403, as Viber's docs ask (invariant 5, docs/invariants.md)
		httpx.Error(w, h.Log, errs.E(errs.Forbidden, "bad signature"))
		return
	}
	cb, err := ParseCallback(body)
	if err != nil {
		h.Log.Warn("viber callback not understood", "err", err)
		httpx.Error(w, h.Log, errs.Wrap(errs.Invalid, err, "not a Viber callback"))
		return
	}
	switch cb.Event {
	case EventConversationStarted, EventMessage:
		h.converse(w, r.Context(), &cb)
	case EventFailed:
		h.Log.Warn("viber message failed", "user", cb.UserID, "message_token", cb.MessageToken, "desc", cb.Desc)
		w.WriteHeader(http.StatusOK)
	case EventWebhook, EventSubscribed, EventUnsubscribed, EventDelivered, EventSeen:
		h.Log.Debug("viber callback", "event", cb.Event, "message_token", cb.MessageToken)
		w.WriteHeader(http.StatusOK)
	default:
		h.Log.Info("viber callback of an unknown type ignored", "event", text.Clip(cb.Event, 40))
		w.WriteHeader(http.StatusOK)
	}
}

// converse hands a message or an opened conversation to the bot.
func (h *Webhook) converse(w http.ResponseWriter, ctx context.Context, cb *Callback) {
	ev, ok := event(cb, h.now())
	if !ok {
		h.Log.Warn("viber callback without a user or message token ignored", "event", cb.Event)
		w.WriteHeader(http.StatusOK)
		return
	}
	to := &chat{c: h.Client, to: ev.UserID, welcome: cb.Event == EventConversationStarted}
	err := h.Bot.Once(ctx, ev, func(ctx context.Context) error { return h.Bot.Handle(ctx, ev, to) })
	switch {
	case err == nil:
		if to.reply == nil {
			w.WriteHeader(http.StatusOK)
			return
		}
		b, err := marshal(to.reply)
		if err != nil { // only plain types inside
			httpx.Error(w, h.Log, err)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(b)
	default:
		bot.AnswerUndelivered(w, h.Log, err, "viber callback", "message_token", cb.MessageToken)
	}
}

// Verify reports whether signature is the lower-case (or upper-case) hex
// HMAC-SHA256 of body keyed by token, comparing in constant time. An empty
// token verifies nothing.
func Verify(token string, body []byte, signature string) bool {
	if token == "" {
		return false
	}
	got, err := hex.DecodeString(strings.TrimSpace(signature))
	if err != nil || len(got) != sha256.Size {
		return false
	}
	mac := hmac.New(sha256.New, []byte(token))
	mac.Write(body)
	return hmac.Equal(got, mac.Sum(nil))
}

func (h *Webhook) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}
