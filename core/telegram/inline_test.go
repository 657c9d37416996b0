package telegram

import (
	"testing"

	"github.com/paylastic/edge/core/bot"
)

// TestInlineKeyboard: a button with a URL is a url button (the share
// page), the others callback buttons; a url button the Bot API would
// refuse (not https) is left out rather than losing the whole message.
func TestInlineKeyboard(t *testing.T) {
	tests := []struct {
		name string
		in   []bot.Inline
		want string
	}{
		{"callback", []bot.Inline{{Text: "Скасувати", Data: "cancel:x"}},
			`{"inline_keyboard":[[{"text":"Скасувати","callback_data":"cancel:x"}]]}`},
		{"url", []bot.Inline{{Text: "Скасувати", Data: "cancel:x"}, {Text: "Надіслати покупцю", URL: "https://pay.test/p/T/share?lang=uk"}},
			`{"inline_keyboard":[[{"text":"Скасувати","callback_data":"cancel:x"},{"text":"Надіслати покупцю","url":"https://pay.test/p/T/share?lang=uk"}]]}`},
		{"http url left out", []bot.Inline{{Text: "Скасувати", Data: "cancel:x"}, {Text: "Send", URL: "http://127.0.0.1:8787/p/T/share"}},
			`{"inline_keyboard":[[{"text":"Скасувати","callback_data":"cancel:x"}]]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(inlineKeyboard(tt.in)); got != tt.want {
				t.Errorf("inlineKeyboard = %s, want %s", got, tt.want)
			}
		})
	}
}
