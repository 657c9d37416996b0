package app

import (
	"bytes"
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/paylastic/edge/core/check"
	vbfake "github.com/paylastic/edge/fakes/viber"
)

const vbToken = "app-test-viber-token"

func TestViberRoute(t *testing.T) {
	fake := vbfake.New(vbToken)
	api := httptest.NewServer(fake)
	defer api.Close()
	body := vbfake.MessageCallback("u1==", "Оля", "uk", "/start", 1<<60, time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC), "")
	tests := []struct {
		name, token, sig string
		want             int
	}{
		{"not configured", "", vbfake.Sign("", body), 404},
		{"no signature", vbToken, "", 403},
		{"wrong signature", vbToken, vbfake.Sign("other", body), 403},
		{"right signature", vbToken, vbfake.Sign(vbToken, body), 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, store := newTestApp(t, "")
			a.Config.ViberAuthToken, a.Config.ViberAPIURL = tt.token, api.URL+"/pa"
			a.Deps.HTTP = api.Client()
			a = New(a.Config, a.Deps) // built anew from the changed configuration
			fake.Reset()
			req := httptest.NewRequest("POST", "/viber/webhook", bytes.NewReader(body))
			if tt.sig != "" {
				req.Header.Set("X-Viber-Content-Signature", tt.sig)
			}
			rec := httptest.NewRecorder()
			a.Handler().ServeHTTP(rec, req)
			if rec.Code != tt.want {
				t.Fatalf("status = %d %s, want %d", rec.Code, rec.Body, tt.want)
			}
			calls := len(fake.Calls())
			if tt.want != 200 && (calls != 0 || store.Puts.Load() != 0 || store.Gets.Load() != 0) {
				t.Errorf("refused callback: %d API calls, %d KV reads, %d writes", calls, store.Gets.Load(), store.Puts.Load())
			}
			if tt.want == 200 && calls != 1 {
				t.Errorf("accepted /start: %d API calls, want 1", calls)
			}
		})
	}
}

func TestViberNotifier(t *testing.T) {
	fake := vbfake.New(vbToken)
	api := httptest.NewServer(fake)
	defer api.Close()
	a, _ := newTestApp(t, "")
	a.Config.ViberAPIURL = api.URL + "/pa"
	a.Deps.HTTP = api.Client()
	paid := check.Notice{Kind: check.NoticePaid}
	vb := check.Check{ID: "x", Chat: check.Chat{Messenger: "viber", ChatID: "u1==", Lang: "uk"}}
	if err := New(a.Config, a.Deps).Checks.Notifier.Notify(context.Background(), vb, paid); err == nil {
		t.Error("notified on Viber with no auth token")
	}
	a.Config.ViberAuthToken = vbToken
	if err := New(a.Config, a.Deps).Checks.Notifier.Notify(context.Background(), vb, paid); err != nil {
		t.Fatalf("Notify on Viber = %v", err)
	}
	if msgs := fake.Messages("u1=="); len(msgs) != 1 || !strings.HasPrefix(msgs[0].Text, "✅") {
		t.Errorf("messages %+v", msgs)
	}
}
