package main

import (
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	tgfake "github.com/paylastic/edge/fakes/telegram"
)

const testToken = "123456:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"

func runTelegramWebhook(t *testing.T, env map[string]string, args ...string) (string, error) {
	t.Helper()
	return runCommand(t, telegramWebhook, env, args...)
}

func TestTelegramWebhookCommand(t *testing.T) {
	fake := tgfake.New(testToken)
	api := httptest.NewServer(fake)
	defer api.Close()
	env := map[string]string{
		"TELEGRAM_BOT_TOKEN":      testToken,
		"TELEGRAM_WEBHOOK_SECRET": "s3cret_-X",
		"TELEGRAM_API_URL":        api.URL + "/",
		"PUBLIC_BASE_URL":         "https://pay.example.com/",
	}

	out, err := runTelegramWebhook(t, env)
	if err != nil {
		t.Fatalf("set: %v\n%s", err, out)
	}
	wh := fake.Webhook()
	if wh.URL != "https://pay.example.com/telegram/webhook" || wh.SecretToken != "s3cret_-X" || !slices.Equal(wh.AllowedUpdates, []string{"message", "callback_query"}) {
		t.Errorf("webhook set to %+v", wh)
	}
	if !strings.Contains(out, "url:              https://pay.example.com/telegram/webhook") || strings.Contains(out, testToken) {
		t.Errorf("output:\n%s", out)
	}

	out, err = runTelegramWebhook(t, env, "--info")
	if err != nil || !strings.Contains(out, "allowed updates:  message, callback_query") {
		t.Errorf("--info: %v\n%s", err, out)
	}

	out, err = runTelegramWebhook(t, env, "--delete", "--drop-pending")
	if err != nil || fake.Webhook().URL != "" || !fake.Webhook().DropPendingUpdates || !strings.Contains(out, "url:              (none)") {
		t.Errorf("--delete: %v %+v\n%s", err, fake.Webhook(), out)
	}

	// flags override the environment
	out, err = runTelegramWebhook(t, env, "--base", "https://other.example.com:8443", "--secret", "abc")
	if err != nil || fake.Webhook().URL != "https://other.example.com:8443/telegram/webhook" || fake.Webhook().SecretToken != "abc" {
		t.Errorf("flags: %v %+v\n%s", err, fake.Webhook(), out)
	}
}

func TestTelegramWebhookCommandErrors(t *testing.T) {
	fake := tgfake.New(testToken)
	api := httptest.NewServer(fake)
	defer api.Close()
	good := map[string]string{"TELEGRAM_BOT_TOKEN": testToken, "TELEGRAM_WEBHOOK_SECRET": "s", "TELEGRAM_API_URL": api.URL, "PUBLIC_BASE_URL": "https://pay.example.com"}
	with := func(k, v string) map[string]string { return envWith(good, k, v) }
	testCommandErrors(t, telegramWebhook, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", []commandCase{
		{"no token", with("TELEGRAM_BOT_TOKEN", ""), nil, "TELEGRAM_BOT_TOKEN"},
		{"malformed token", with("TELEGRAM_BOT_TOKEN", "nope"), nil, "invalid token"},
		{"wrong token", with("TELEGRAM_BOT_TOKEN", "999:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), nil, "401"},
		{"no base", with("PUBLIC_BASE_URL", ""), nil, "PUBLIC_BASE_URL"},
		{"no secret", with("TELEGRAM_WEBHOOK_SECRET", ""), nil, "TELEGRAM_WEBHOOK_SECRET"},
		{"bad secret", with("TELEGRAM_WEBHOOK_SECRET", "has space"), nil, "TELEGRAM_WEBHOOK_SECRET"},
		{"http base", with("PUBLIC_BASE_URL", "http://pay.example.com"), nil, "HTTPS URL"},
		{"both modes", good, []string{"--info", "--delete"}, "exclude"},
		{"stray argument", good, []string{"now"}, "unexpected argument"},
		{"help", good, []string{"--help"}, ""},
		{"API down", with("TELEGRAM_API_URL", "http://127.0.0.1:1"), nil, "setWebhook"},
	})
}
