package telegram

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/mymmrac/telego"
	"github.com/paylastic/edge/core/bot"
)

// TestUnreadResults: the sent or edited Message in an answer is not read
// (a result that is not a Message does not fail the send),
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

// TestJSONString: appendJSONString writes what encoding/json writes.
func TestJSONString(t *testing.T) {
	for _, s := range []string{"", "plain", `"quoted" \ back`, "Кавʼярня «Ранок» & <b>", "tab\tnl\nnul\x00", "\u2028\u2029", "bad\xffutf8", "emoji 🧾"} {
		want, _ := json.Marshal(s)
		if got := appendJSONString(nil, s); string(got) != string(want) {
			t.Errorf("appendJSONString(%q) = %s, want %s", s, got, want)
		}
	}
}

func FuzzJSONString(f *testing.F) {
	f.Add("Кавʼярня «Ранок» & <b>\n")
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		if got := appendJSONString(nil, s); string(got) != string(want) {
			t.Fatalf("appendJSONString(%q) = %s, want %s", s, got, want)
		}
	})
}

// TestMarkup: the keyboards are the JSON telego writes for the same markup.
func TestMarkup(t *testing.T) {
	buttons := []bot.Button{{Text: "Створити чек"}, {Text: "Мої чеки"}, {Text: "Допомога"}}
	want, _ := json.Marshal(&telego.ReplyKeyboardMarkup{Keyboard: [][]telego.KeyboardButton{{{Text: "Створити чек"}}, {{Text: "Мої чеки"}, {Text: "Допомога"}}}, ResizeKeyboard: true, IsPersistent: true})
	if got := replyKeyboard(buttons); string(got) != string(want) {
		t.Errorf("replyKeyboard = %s, want %s", got, want)
	}
	inline := []bot.Inline{{Text: "Так, повернути", Data: "refundok:abc"}, {Text: "Ні", Data: "refundno:abc"}}
	want, _ = json.Marshal(&telego.InlineKeyboardMarkup{InlineKeyboard: [][]telego.InlineKeyboardButton{{{Text: "Так, повернути", CallbackData: "refundok:abc"}, {Text: "Ні", CallbackData: "refundno:abc"}}}})
	if got := inlineKeyboard(inline); string(got) != string(want) {
		t.Errorf("inlineKeyboard = %s, want %s", got, want)
	}
}
