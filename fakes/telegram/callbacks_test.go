package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"testing"

	"github.com/mymmrac/telego"
	tu "github.com/mymmrac/telego/telegoutil"
)

// TestPressButtonOnPhoto: the callback query of a button under a photo
// carries the photo and its caption, as Telegram's does, so a bot can tell
// it must edit the caption; the answer to it is kept as a toast, once.
func TestPressButtonOnPhoto(t *testing.T) {
	fake, bot, _ := newBot(t)
	ctx := context.Background()
	kb := tu.InlineKeyboard(tu.InlineKeyboardRow(tu.InlineKeyboardButton("Скасувати").WithCallbackData("cancel:1")))
	sent, err := bot.SendPhoto(ctx, tu.Photo(tu.ID(42), tu.FileFromBytes(pngOf(t, 290, 290), "qr.png")).WithCaption("Чек на 12,50 грн").WithReplyMarkup(kb))
	if err != nil {
		t.Fatalf("send photo: %v", err)
	}
	from := User{ID: 42, FirstName: "Оля", LanguageCode: "uk"}

	raw, err := fake.PressButton(42, sent.MessageID, from, "cancel:1")
	if err != nil {
		t.Fatalf("press: %v", err)
	}
	var q telego.CallbackQuery
	if err := json.Unmarshal(raw, &q); err != nil {
		t.Fatalf("decode the callback query with telego: %v\n%s", err, raw)
	}
	m, ok := q.Message.(*telego.Message)
	switch {
	case !ok:
		t.Fatalf("callback message = %T, want an accessible *telego.Message", q.Message)
	case len(m.Photo) == 0 || m.Photo[0].Width != 290:
		t.Errorf("callback message photo = %+v, want the 290 px photo", m.Photo)
	case m.Caption != "Чек на 12,50 грн" || m.Text != "":
		t.Errorf("callback message caption %q text %q, want the caption only", m.Caption, m.Text)
	case m.MessageID != sent.MessageID || m.Chat.ID != 42 || m.From == nil || !m.From.IsBot:
		t.Errorf("callback message = %+v, want the bot's message %d in chat 42", m, sent.MessageID)
	case m.ReplyMarkup == nil || m.ReplyMarkup.InlineKeyboard[0][0].CallbackData != "cancel:1":
		t.Errorf("callback message markup = %+v, want the inline keyboard", m.ReplyMarkup)
	}
	if q.From.ID != 42 || q.Data != "cancel:1" || q.ID == "" || q.ChatInstance == "" {
		t.Errorf("callback query = %+v, want from 42, the data, an id and a chat instance", q)
	}

	if _, err := bot.EditMessageCaption(ctx, &telego.EditMessageCaptionParams{ChatID: tu.ID(42), MessageID: m.MessageID, Caption: "Скасовано"}); err != nil {
		t.Fatalf("edit the caption the callback showed: %v", err)
	}
	if err := bot.AnswerCallbackQuery(ctx, tu.CallbackQuery(q.ID).WithText("Чек скасовано")); err != nil {
		t.Fatalf("answer: %v", err)
	}
	toasts := fake.Toasts(42)
	if len(toasts) != 1 || toasts[0].Text != "Чек скасовано" || toasts[0].MessageID != m.MessageID || toasts[0].After != m.MessageID {
		t.Errorf("toasts = %+v, want one «Чек скасовано» for message %d", toasts, m.MessageID)
	}
	err = bot.AnswerCallbackQuery(ctx, tu.CallbackQuery(q.ID).WithText("again"))
	if e := apiErr(err); e == nil || e.ErrorCode != http.StatusBadRequest {
		t.Errorf("second answer = %v, want 400 query is too old", err)
	}
	if got := fake.Toasts(42); len(got) != 1 {
		t.Errorf("after a refused answer: %d toasts, want 1", len(got))
	}

	// Pressed again, the message is the edited one: no keyboard, so no button.
	if _, err := fake.PressButton(42, m.MessageID, from, "cancel:1"); !errors.Is(err, ErrNoButton) {
		t.Errorf("press a removed button = %v, want ErrNoButton", err)
	}
}

func TestPressButtonOnText(t *testing.T) {
	fake, bot, _ := newBot(t)
	ctx := context.Background()
	kb := tu.InlineKeyboard(tu.InlineKeyboardRow(tu.InlineKeyboardButton("Так").WithCallbackData("yes"), tu.InlineKeyboardButton("Ні").WithCallbackData("no")))
	sent, err := bot.SendMessage(ctx, tu.Message(tu.ID(42), "Повернути?").WithReplyMarkup(kb))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		msg  int
		data string
		ok   bool
	}{
		{"second button", sent.MessageID, "no", true},
		{"no such data", sent.MessageID, "maybe", false},
		{"no such message", sent.MessageID + 1, "yes", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			raw, err := fake.PressButton(42, tt.msg, User{ID: 42, FirstName: "Оля"}, tt.data)
			if !tt.ok {
				if !errors.Is(err, ErrNoButton) {
					t.Errorf("got %v, want ErrNoButton", err)
				}
				return
			}
			var q telego.CallbackQuery
			if err := json.Unmarshal(raw, &q); err != nil {
				t.Fatal(err)
			}
			if m, _ := q.Message.(*telego.Message); m == nil || m.Text != "Повернути?" || len(m.Photo) != 0 {
				t.Errorf("got message %+v, want the text message", q.Message)
			}
		})
	}
	// an answer to a query the fake did not issue is accepted, and no toast
	if err := bot.AnswerCallbackQuery(ctx, tu.CallbackQuery("q1").WithText("x")); err != nil {
		t.Fatal(err)
	}
	if got := fake.Toasts(42); len(got) != 0 {
		t.Errorf("toasts = %+v, want none", got)
	}
}
