package main

import (
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/paylastic/edge/core/viber"
	vbfake "github.com/paylastic/edge/fakes/viber"
)

const viberTestToken = "445da6az1s345z78-dazcczb2542zv51a-e0vc5fva17480im9"

func runViberWebhook(t *testing.T, env map[string]string, args ...string) (string, error) {
	t.Helper()
	return runCommand(t, viberWebhook, env, args...)
}

func TestViberWebhookCommand(t *testing.T) {
	fake := vbfake.New(viberTestToken)
	api := httptest.NewServer(fake)
	defer api.Close()
	env := map[string]string{
		"VIBER_AUTH_TOKEN": viberTestToken,
		"VIBER_API_URL":    api.URL + "/pa/",
		"PUBLIC_BASE_URL":  "https://pay.example.com/",
	}

	out, err := runViberWebhook(t, env)
	if err != nil {
		t.Fatalf("set: %v\n%s", err, out)
	}
	wh := fake.Webhook()
	if wh.URL != "https://pay.example.com/viber/webhook" || !wh.SendName || !slices.Equal(wh.EventTypes, viber.EventTypes) {
		t.Errorf("webhook set to %+v", wh)
	}
	if !strings.Contains(out, "url:              https://pay.example.com/viber/webhook") || strings.Contains(out, viberTestToken) {
		t.Errorf("output:\n%s", out)
	}

	out, err = runViberWebhook(t, env, "--info")
	if err != nil || !strings.Contains(out, "event types:      conversation_started, failed, subscribed, unsubscribed") || !strings.Contains(out, "account:          PayLastic") {
		t.Errorf("--info: %v\n%s", err, out)
	}

	out, err = runViberWebhook(t, env, "--delete")
	if err != nil || fake.Webhook().URL != "" || !strings.Contains(out, "url:              (none)") {
		t.Errorf("--delete: %v %+v\n%s", err, fake.Webhook(), out)
	}

	// flags override the environment
	out, err = runViberWebhook(t, env, "--base", "https://other.example.com:8443")
	if err != nil || fake.Webhook().URL != "https://other.example.com:8443/viber/webhook" {
		t.Errorf("flags: %v %+v\n%s", err, fake.Webhook(), out)
	}
	for _, c := range fake.Calls() {
		if c.Status != 0 {
			t.Errorf("refused call %+v", c)
		}
	}
}

func TestViberWebhookCommandErrors(t *testing.T) {
	fake := vbfake.New(viberTestToken)
	api := httptest.NewServer(fake)
	defer api.Close()
	good := map[string]string{"VIBER_AUTH_TOKEN": viberTestToken, "VIBER_API_URL": api.URL + "/pa", "PUBLIC_BASE_URL": "https://pay.example.com"}
	with := func(k, v string) map[string]string { return envWith(good, k, v) }
	testCommandErrors(t, viberWebhook, viberTestToken, []commandCase{
		{"no token", with("VIBER_AUTH_TOKEN", ""), nil, "VIBER_AUTH_TOKEN"},
		{"wrong token", with("VIBER_AUTH_TOKEN", "nope"), nil, "status 2"},
		{"no base", with("PUBLIC_BASE_URL", ""), nil, "PUBLIC_BASE_URL"},
		{"http base", with("PUBLIC_BASE_URL", "http://pay.example.com"), nil, "HTTPS URL"},
		{"both modes", good, []string{"--info", "--delete"}, "exclude"},
		{"stray argument", good, []string{"now"}, "unexpected argument"},
		{"help", good, []string{"--help"}, ""},
		{"API down", with("VIBER_API_URL", "http://127.0.0.1:1"), nil, "set_webhook"},
		{"API not Viber", with("VIBER_API_URL", "https://example.invalid"), []string{"--info"}, "get_account_info"},
	})
}
