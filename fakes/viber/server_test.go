package viber

import (
	"net/http"
	"strings"
	"testing"
)

func TestAuth(t *testing.T) {
	bodies := map[string]string{
		"send_message":     textBody("u1", "hi"),
		"set_webhook":      `{"url":"https://bot.example.com/viber/webhook"}`,
		"get_account_info": `{}`,
		"get_user_details": `{"id":"u1"}`,
	}
	tests := []struct {
		name    string
		token   string // "-" sends no header
		wantMsg string
	}{
		{"missing header", "-", "missing_auth_token"},
		{"empty token", "", "invalidAuthToken"},
		{"wrong token", testToken + "x", "invalidAuthToken"},
		{"token prefix", testToken[:10], "invalidAuthToken"},
	}
	for _, tt := range tests {
		for method, body := range bodies {
			t.Run(tt.name+"/"+method, func(t *testing.T) {
				f := newFake(t)
				a := f.post(t, method, tt.token, body)
				if a.HTTPStatus != 200 || a.status() != "2" || a.statusMsg() != tt.wantMsg {
					t.Errorf("answer: got HTTP %d %s, want HTTP 200 status 2 %s", a.HTTPStatus, a.Raw, tt.wantMsg)
				}
				if got := f.Messages("u1"); len(got) != 0 {
					t.Errorf("Messages: got %d, want none", len(got))
				}
				if got := f.Webhook().URL; got != "" {
					t.Errorf("webhook: got %q, want none", got)
				}
			})
		}
	}
	t.Run("token in the body only", func(t *testing.T) {
		f := newFake(t)
		a := f.post(t, "send_message", "-", `{"auth_token":"`+testToken+`","receiver":"u1","type":"text","text":"x","sender":{"name":"B"}}`)
		if a.status() != "2" {
			t.Errorf("answer: got %s, want status 2", a.Raw)
		}
	})
}

func TestRouting(t *testing.T) {
	f := newFake(t)
	base := strings.TrimSuffix(f.base, "/pa")
	tests := []struct {
		name       string
		method     string
		url        string
		wantStatus int
	}{
		{"unknown method", http.MethodPost, f.base + "/send_messages", http.StatusNotFound},
		{"no method", http.MethodPost, f.base + "/", http.StatusNotFound},
		{"GET", http.MethodGet, f.base + "/send_message", http.StatusMethodNotAllowed},
		{"without the /pa prefix", http.MethodPost, base + "/get_account_info", http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, tt.url, strings.NewReader(`{}`))
			req.Header.Set(AuthHeader, testToken)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.wantStatus {
				t.Errorf("HTTP status: got %d, want %d", resp.StatusCode, tt.wantStatus)
			}
		})
	}
}

func TestGetAccountInfo(t *testing.T) {
	f := newFake(t)
	f.SetUser(User{ID: "u1", Name: "A"}, true)
	f.SetUser(User{ID: "u2", Name: "B"}, false)
	f.post(t, "set_webhook", testToken, `{"url":"https://bot.example.com/viber/webhook","event_types":["delivered","seen"]}`)
	a := f.post(t, "get_account_info", testToken, `{}`)
	if a.status() != "0" {
		t.Fatalf("answer: got %s, want status 0", a.Raw)
	}
	tests := []struct{ field, got, want string }{
		{"id", str(a.Fields["id"]), f.Account.ID},
		{"name", str(a.Fields["name"]), f.Account.Name},
		{"uri", str(a.Fields["uri"]), f.Account.URI},
		{"webhook", str(a.Fields["webhook"]), "https://bot.example.com/viber/webhook"},
		{"subscribers_count", num(a.Fields["subscribers_count"]), "1"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.field, tt.got, tt.want)
		}
	}
	if got, _ := a.Fields["event_types"].([]any); len(got) != 2 || got[0] != "delivered" || got[1] != "seen" {
		t.Errorf("event_types: got %v, want [delivered seen]", a.Fields["event_types"])
	}
	if a := f.post(t, "get_account_info", testToken, `nope`); a.status() != "3" {
		t.Errorf("bad body: got %s, want status 3", a.Raw)
	}
}

func TestGetUserDetails(t *testing.T) {
	f := newFake(t)
	f.SetUser(User{ID: "u1", Name: "Оксана", Language: "uk", Country: "UA", APIVersion: 10, PrimaryDeviceOS: "Android 14"}, true)
	f.send(t, textBody("u2", "sent to, never seen"))
	tests := []struct {
		name, body, wantStatus, wantName string
	}{
		{"known", `{"id":"u1"}`, "0", "Оксана"},
		{"only sent to", `{"id":"u2"}`, "5", ""},
		{"unknown", `{"id":"nobody"}`, "5", ""},
		{"missing id", `{}`, "4", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := f.post(t, "get_user_details", testToken, tt.body)
			if a.status() != tt.wantStatus {
				t.Fatalf("answer: got %s, want status %s", a.Raw, tt.wantStatus)
			}
			if tt.wantStatus != "0" {
				return
			}
			u, _ := a.Fields["user"].(map[string]any)
			if got := str(u["name"]); got != tt.wantName {
				t.Errorf("user.name: got %q, want %q", got, tt.wantName)
			}
			if got := str(u["primary_device_os"]); got != "Android 14" {
				t.Errorf("user.primary_device_os: got %q, want Android 14", got)
			}
			if a.token() == "" {
				t.Errorf("answer has no message_token: %s", a.Raw)
			}
		})
	}
}
