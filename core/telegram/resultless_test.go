package telegram

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestUnreadResults: the sent or edited Message in an answer is not decoded
// (a result telego could not decode into a Message does not fail the send),
// while getWebhookInfo's result still is.
func TestUnreadResults(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if strings.HasSuffix(r.URL.Path, "/getWebhookInfo") {
			_, _ = w.Write([]byte(`{"ok":true,"result":{"url":"https://pay.test/telegram/webhook","has_custom_certificate":false,"pending_update_count":3}}`))
			return
		}
		_, _ = w.Write([]byte(`{"ok":true,"result":"not a Message"}`))
	}))
	defer srv.Close()
	c := &Client{Token: "123456:" + strings.Repeat("A", 35), APIURL: srv.URL}
	ctx := context.Background()
	tests := []struct {
		name string
		call func() error
	}{
		{"sendMessage", func() error { return c.SendText(ctx, 7, "hi", nil) }},
		{"sendPhoto", func() error { return c.SendPicture(ctx, 7, []byte("png"), "caption", nil) }},
		{"editMessageText", func() error { return c.Edit(ctx, 7, 3, false, "text", nil) }},
		{"editMessageCaption", func() error { return c.Edit(ctx, 7, 3, true, "text", nil) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.call(); err != nil {
				t.Errorf("%s with an unreadable result: %v", tt.name, err)
			}
		})
	}
	info, err := c.WebhookInfo(ctx)
	if err != nil || info.PendingUpdateCount != 3 {
		t.Errorf("getWebhookInfo = %+v, %v; want its result decoded", info, err)
	}
}
