package app

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/paylastic/edge/core/check"
	tgfake "github.com/paylastic/edge/fakes/telegram"
)

const tgToken = "123456:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"

func TestTelegramRoute(t *testing.T) {
	const update = `{"update_id":1,"message":{"message_id":1,"from":{"id":5,"is_bot":false,"first_name":"A"},"chat":{"id":5,"type":"private"},"date":1764151200,"text":"/start"}}`
	fake := tgfake.New(tgToken)
	api := httptest.NewServer(fake)
	defer api.Close()
	tests := []struct {
		name          string
		token, secret string
		header        string
		want          int
	}{
		{"not configured", "", "", "s", 404},
		{"no secret configured", tgToken, "", "", 404},
		{"no token configured", "", "s", "s", 404},
		{"wrong secret", tgToken, "s", "x", 401},
		{"right secret", tgToken, "s", "s", 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, store := newTestApp(t, "")
			a.Config.TelegramBotToken, a.Config.TelegramWebhookSecret, a.Config.TelegramAPIURL = tt.token, tt.secret, api.URL
			a.Deps.HTTP = api.Client()
			a = New(a.Config, a.Deps) // built anew from the changed configuration
			fake.Reset()
			req := httptest.NewRequest("POST", "/telegram/webhook", strings.NewReader(update))
			req.Header.Set("X-Telegram-Bot-Api-Secret-Token", tt.header)
			rec := httptest.NewRecorder()
			a.Handler().ServeHTTP(rec, req)
			if rec.Code != tt.want {
				t.Fatalf("status = %d %s, want %d", rec.Code, rec.Body, tt.want)
			}
			calls := len(fake.Calls())
			if tt.want != 200 && (calls != 0 || store.Puts.Load() != 0) {
				t.Errorf("refused update: %d Bot API calls, %d KV writes", calls, store.Puts.Load())
			}
			if tt.want == 200 && calls != 1 {
				t.Errorf("accepted /start: %d Bot API calls, want 1", calls)
			}
		})
	}
}

func TestNotifierRouter(t *testing.T) {
	fake := tgfake.New(tgToken)
	api := httptest.NewServer(fake)
	defer api.Close()
	a, _ := newTestApp(t, "")
	a.Config.TelegramAPIURL = api.URL
	a.Deps.HTTP = api.Client()
	n := New(a.Config, a.Deps).Checks.Notifier
	paid := check.Notice{Kind: check.NoticePaid}
	tg := check.Check{ID: "x", Chat: check.Chat{Messenger: "telegram", ChatID: "5", Lang: "uk"}}
	if err := n.Notify(context.Background(), tg, paid); err == nil {
		t.Error("notified on Telegram with no bot token")
	}
	a.Config.TelegramBotToken = tgToken
	n = New(a.Config, a.Deps).Checks.Notifier
	if err := n.Notify(context.Background(), tg, paid); err != nil {
		t.Fatalf("Notify on Telegram = %v", err)
	}
	if msgs := fake.Messages(5); len(msgs) != 1 || !strings.HasPrefix(msgs[0].Plain, "✅") {
		t.Errorf("messages %+v", msgs)
	}
	if err := n.Notify(context.Background(), check.Check{Chat: check.Chat{Messenger: "pigeon"}}, paid); err == nil {
		t.Error("an unknown messenger was notified")
	}
}
