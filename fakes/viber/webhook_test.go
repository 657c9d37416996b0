package viber

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
)

func TestSetWebhook(t *testing.T) {
	tests := []struct {
		name       string
		body       string
		wantStatus string
		want       Webhook // when status 0
		wantTypes  []string
	}{
		{"with event types", `{"url":"https://bot.example.com/viber/webhook","event_types":["delivered","seen","failed","subscribed","unsubscribed","conversation_started"],"send_name":true,"send_photo":true}`,
			"0", Webhook{URL: "https://bot.example.com/viber/webhook", SendName: true, SendPhoto: true}, EventTypes},
		{"without event types", `{"url":"https://bot.example.com/v"}`,
			"0", Webhook{URL: "https://bot.example.com/v"}, EventTypes},
		{"some event types, deduplicated", `{"url":"https://bot.example.com/v","event_types":["seen","message","seen"]}`,
			"0", Webhook{URL: "https://bot.example.com/v"}, []string{"seen", "message"}},
		{"http on loopback", `{"url":"http://127.0.0.1:8787/viber/webhook"}`,
			"0", Webhook{URL: "http://127.0.0.1:8787/viber/webhook"}, EventTypes},
		{"remove", `{"url":""}`, "0", Webhook{}, nil},
		{"http elsewhere", `{"url":"http://bot.example.com/v"}`, "1", Webhook{}, nil},
		{"not a URL", `{"url":"bot.example.com/v"}`, "1", Webhook{}, nil},
		{"missing url", `{"event_types":["seen"]}`, "4", Webhook{}, nil},
		{"unknown event type", `{"url":"https://bot.example.com/v","event_types":["read"]}`, "3", Webhook{}, nil},
		{"event_types not an array", `{"url":"https://bot.example.com/v","event_types":"seen"}`, "3", Webhook{}, nil},
		{"send_name as string", `{"url":"https://bot.example.com/v","send_name":"yes"}`, "3", Webhook{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t)
			a := f.post(t, "set_webhook", testToken, tt.body)
			if a.status() != tt.wantStatus {
				t.Fatalf("answer: got %s, want status %s", a.Raw, tt.wantStatus)
			}
			got := f.Webhook()
			if tt.wantStatus != "0" {
				if got.URL != "" {
					t.Errorf("webhook: got %+v, want none", got)
				}
				return
			}
			if got.URL != tt.want.URL || got.SendName != tt.want.SendName || got.SendPhoto != tt.want.SendPhoto || !slices.Equal(got.EventTypes, tt.wantTypes) {
				t.Errorf("webhook: got %+v, want %+v with event types %v", got, tt.want, tt.wantTypes)
			}
			var answered struct {
				EventTypes []string `json:"event_types"`
			}
			json.Unmarshal(a.Raw, &answered)
			if !slices.Equal(answered.EventTypes, tt.wantTypes) {
				t.Errorf("answered event_types: got %v, want %v", answered.EventTypes, tt.wantTypes)
			}
		})
	}
}

func TestSetWebhookVerify(t *testing.T) {
	tests := []struct {
		name       string
		botStatus  int
		wantStatus string
	}{
		{"bot answers 200", http.StatusOK, "0"},
		{"bot answers 500", http.StatusInternalServerError, "1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got map[string]any
			var validSig bool
			bot := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				body, _ := io.ReadAll(r.Body)
				validSig = r.Header.Get(SignatureHeader) == Sign(testToken, body)
				json.Unmarshal(body, &got)
				w.WriteHeader(tt.botStatus)
			}))
			defer bot.Close()
			f := newFake(t)
			f.VerifyClient = bot.Client()
			a := f.post(t, "set_webhook", testToken, `{"url":"`+bot.URL+`/viber/webhook"}`)
			if a.status() != tt.wantStatus {
				t.Errorf("answer: got %s, want status %s", a.Raw, tt.wantStatus)
			}
			if got["event"] != "webhook" || !validSig {
				t.Errorf("check callback: got %v (signature valid %v), want a signed webhook event", got, validSig)
			}
		})
	}
}
