package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"testing"

	"github.com/mymmrac/telego"
	tu "github.com/mymmrac/telego/telegoutil"
	"github.com/paylastic/edge/internal/testsupport"
)

func TestSendMessageWithReplyKeyboard(t *testing.T) {
	fake, bot, _ := newBot(t)
	ctx := context.Background()
	kb := tu.Keyboard(tu.KeyboardRow(tu.KeyboardButton("💳 Pay"), tu.KeyboardButton("❓ Help"))).WithResizeKeyboard()
	for i, text := range []string{"Hello", "Choose & pay"} {
		msg, err := bot.SendMessage(ctx, tu.Message(tu.ID(42), text).WithReplyMarkup(kb))
		if err != nil {
			t.Fatalf("send %q: %v", text, err)
		}
		if got, want := msg.MessageID, i+1; got != want {
			t.Errorf("message_id = %d, want %d", got, want)
		}
		if msg.Chat.ID != 42 || msg.Chat.Type != "private" || msg.Text != text || msg.Date != testsupport.T0.Unix() {
			t.Errorf("message = chat %d %q, text %q, date %d; want chat 42 private, %q, %d", msg.Chat.ID, msg.Chat.Type, msg.Text, msg.Date, text, testsupport.T0.Unix())
		}
		if msg.From == nil || !msg.From.IsBot || msg.From.ID != 123456 {
			t.Errorf("from = %+v, want the bot 123456", msg.From)
		}
		if msg.ReplyMarkup != nil {
			t.Errorf("reply_markup = %+v, want none (only inline keyboards are echoed)", msg.ReplyMarkup)
		}
	}

	c := lastCall(t, fake, "sendMessage")
	tests := []struct{ param, want string }{
		{"chat_id", "42"},
		{"text", "Choose & pay"},
		{"reply_markup", `{"keyboard":[[{"text":"💳 Pay"},{"text":"❓ Help"}]],"resize_keyboard":true}`},
	}
	for _, tt := range tests {
		if got := c.Param(tt.param); got != tt.want {
			t.Errorf("param %s = %s, want %s", tt.param, got, tt.want)
		}
	}
	msgs := fake.Messages(42)
	if len(msgs) != 2 {
		t.Fatalf("got %d messages, want 2", len(msgs))
	}
	if got, want := string(msgs[1].ReplyMarkup), tests[2].want; got != want {
		t.Errorf("stored reply_markup = %s, want %s", got, want)
	}
	if got := fake.Chats(); len(got) != 1 || got[0] != 42 {
		t.Errorf("chats = %v, want [42]", got)
	}
}

func TestSendPhoto(t *testing.T) {
	fake, bot, _ := newBot(t)
	ctx := context.Background()
	img := pngOf(t, 290, 290)
	keyboard := tu.InlineKeyboard(tu.InlineKeyboardRow(tu.InlineKeyboardButton("I paid").WithCallbackData("paid:42")))

	msg, err := bot.SendPhoto(ctx, tu.Photo(tu.ID(42), tu.FileFromBytes(img, "qr.png")).
		WithCaption("<b>Pay 12.50 ₴</b> &amp; scan").WithParseMode(telego.ModeHTML).WithReplyMarkup(keyboard))
	if err != nil {
		t.Fatalf("send photo: %v", err)
	}
	if len(msg.Photo) != 1 {
		t.Fatalf("got %d photo sizes, want 1", len(msg.Photo))
	}
	p := msg.Photo[0]
	if p.FileID == "" || p.FileUniqueID == "" || p.Width != 290 || p.Height != 290 || p.FileSize != len(img) {
		t.Errorf("photo = %+v, want ids, 290×290, %d bytes", p, len(img))
	}
	if got, want := msg.Caption, "Pay 12.50 ₴ & scan"; got != want {
		t.Errorf("caption = %q, want %q", got, want)
	}
	if len(msg.CaptionEntities) != 1 || msg.CaptionEntities[0].Type != "bold" || msg.CaptionEntities[0].Length != 11 {
		t.Errorf("caption entities = %+v, want one bold of length 11", msg.CaptionEntities)
	}
	if msg.ReplyMarkup == nil || msg.ReplyMarkup.InlineKeyboard[0][0].CallbackData != "paid:42" {
		t.Errorf("reply_markup = %+v, want the inline keyboard echoed", msg.ReplyMarkup)
	}

	sent := fake.Messages(42)[0]
	if got := sent.InlineData(); !slices.Equal(got, []string{"paid:42"}) {
		t.Errorf("InlineData = %q, want [paid:42]", got)
	}
	if got, ok := sent.InlineButton("paid:"); got != "paid:42" || !ok {
		t.Errorf("InlineButton(paid:) = %q, %v; want paid:42", got, ok)
	}
	if got, ok := sent.InlineButton("cancel:"); ok {
		t.Errorf("InlineButton(cancel:) = %q, want none", got)
	}

	c := lastCall(t, fake, "sendPhoto")
	if len(c.Files) != 1 || c.Files[0].Field != "photo" || c.Files[0].Name != "qr.png" || !bytes.Equal(c.Files[0].Data, img) || c.Files[0].FileID != p.FileID {
		t.Errorf("files = %+v, want photo qr.png with the bytes and file_id %s", c.Files, p.FileID)
	}
	for param, want := range map[string]string{
		"chat_id": "42", "parse_mode": "HTML", "caption": "<b>Pay 12.50 ₴</b> &amp; scan",
		"reply_markup": `{"inline_keyboard":[[{"callback_data":"paid:42","text":"I paid"}]]}`,
	} {
		if got := c.Param(param); got != want {
			t.Errorf("param %s = %s, want %s", param, got, want)
		}
	}
	if got, ok := fake.Photo(p.FileID); !ok || !bytes.Equal(got, img) {
		t.Errorf("Photo(%s) = %d bytes, %v; want the upload", p.FileID, len(got), ok)
	}

	// The same photo again by file_id, then one by URL: both JSON bodies.
	again, err := bot.SendPhoto(ctx, tu.Photo(tu.ID(42), tu.FileFromID(p.FileID)))
	if err != nil {
		t.Fatalf("send photo by file_id: %v", err)
	}
	if again.Photo[0].FileID != p.FileID || again.Photo[0].Width != 290 {
		t.Errorf("resent photo = %+v, want %s 290 wide", again.Photo[0], p.FileID)
	}
	if _, err := bot.SendPhoto(ctx, tu.Photo(tu.ID(42), tu.FileFromURL("https://pay.example.com/qr/42.png"))); err != nil {
		t.Fatalf("send photo by URL: %v", err)
	}
	msgs := fake.Messages(42)
	if len(msgs) != 3 {
		t.Fatalf("got %d messages, want 3", len(msgs))
	}
	if msgs[0].Photo != p.FileID || msgs[0].Caption != "<b>Pay 12.50 ₴</b> &amp; scan" || msgs[0].Plain != "Pay 12.50 ₴ & scan" {
		t.Errorf("first message = %+v, want the uploaded photo and caption", msgs[0])
	}
	if msgs[2].PhotoURL != "https://pay.example.com/qr/42.png" {
		t.Errorf("third message photo URL = %q, want the URL", msgs[2].PhotoURL)
	}
}

func TestAnswerCallbackQuery(t *testing.T) {
	fake, bot, _ := newBot(t)
	if err := bot.AnswerCallbackQuery(context.Background(), tu.CallbackQuery("q1").WithText("Checking payment…")); err != nil {
		t.Fatalf("answer: %v", err)
	}
	c := lastCall(t, fake, "answerCallbackQuery")
	if c.Param("callback_query_id") != "q1" || c.Param("text") != "Checking payment…" || !c.OK() {
		t.Errorf("call = %+v, want q1 with the text, ok", c)
	}
}

func TestEdits(t *testing.T) {
	fake, bot, _ := newBot(t)
	ctx := context.Background()
	keyboard := tu.InlineKeyboard(tu.InlineKeyboardRow(tu.InlineKeyboardButton("I paid").WithCallbackData("paid:42")))
	photo, err := bot.SendPhoto(ctx, tu.Photo(tu.ID(42), tu.FileFromBytes(pngOf(t, 10, 10), "qr.png")).WithCaption("Pay").WithReplyMarkup(keyboard))
	if err != nil {
		t.Fatalf("send photo: %v", err)
	}
	text, err := bot.SendMessage(ctx, tu.Message(tu.ID(42), "Waiting").WithReplyMarkup(keyboard))
	if err != nil {
		t.Fatalf("send message: %v", err)
	}

	edited, err := bot.EditMessageCaption(ctx, &telego.EditMessageCaptionParams{
		ChatID: tu.ID(42), MessageID: photo.MessageID, Caption: "<i>Paid</i>", ParseMode: telego.ModeHTML,
	})
	if err != nil {
		t.Fatalf("edit caption: %v", err)
	}
	if edited.Caption != "Paid" || edited.EditDate != testsupport.T0.Unix() || edited.ReplyMarkup != nil || edited.Photo[0].FileID != photo.Photo[0].FileID {
		t.Errorf("edited = caption %q, edit_date %d, markup %v; want Paid, %d, keyboard removed, same photo", edited.Caption, edited.EditDate, edited.ReplyMarkup, testsupport.T0.Unix())
	}

	tests := []struct {
		name string
		call func() error
		want string // error description, "" for success
	}{
		{"same caption again", func() error {
			_, err := bot.EditMessageCaption(ctx, &telego.EditMessageCaptionParams{ChatID: tu.ID(42), MessageID: photo.MessageID, Caption: "<i>Paid</i>", ParseMode: telego.ModeHTML})
			return err
		}, errNotModified.description},
		{"text of a photo", func() error {
			_, err := bot.EditMessageText(ctx, tu.EditMessageText(tu.ID(42), photo.MessageID, "x"))
			return err
		}, errNoText.description},
		{"caption of a text", func() error {
			_, err := bot.EditMessageCaption(ctx, &telego.EditMessageCaptionParams{ChatID: tu.ID(42), MessageID: text.MessageID, Caption: "x"})
			return err
		}, errNoCaption.description},
		{"text", func() error {
			_, err := bot.EditMessageText(ctx, tu.EditMessageText(tu.ID(42), text.MessageID, "Paid ✅").WithReplyMarkup(keyboard))
			return err
		}, ""},
		{"remove keyboard", func() error {
			_, err := bot.EditMessageReplyMarkup(ctx, tu.EditMessageReplyMarkup(tu.ID(42), text.MessageID, nil))
			return err
		}, ""},
		{"remove keyboard again", func() error {
			_, err := bot.EditMessageReplyMarkup(ctx, tu.EditMessageReplyMarkup(tu.ID(42), text.MessageID, nil))
			return err
		}, errNotModified.description},
		{"unknown message", func() error {
			_, err := bot.EditMessageText(ctx, tu.EditMessageText(tu.ID(42), 99, "x"))
			return err
		}, errEditNotFound.description},
		{"delete", func() error { return bot.DeleteMessage(ctx, tu.Delete(tu.ID(42), text.MessageID)) }, ""},
		{"delete again", func() error { return bot.DeleteMessage(ctx, tu.Delete(tu.ID(42), text.MessageID)) }, errDeleteNotFound.description},
		{"edit deleted", func() error {
			_, err := bot.EditMessageText(ctx, tu.EditMessageText(tu.ID(42), text.MessageID, "x"))
			return err
		}, errEditNotFound.description},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			got := ""
			if e := apiErr(err); e != nil {
				got = e.Description
			} else if err != nil {
				t.Fatalf("got error %v, want an API error or none", err)
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}

	msgs := fake.Messages(42)
	if len(msgs) != 2 {
		t.Fatalf("got %d messages, want 2", len(msgs))
	}
	if m := msgs[0]; m.Caption != "<i>Paid</i>" || m.Plain != "Paid" || m.Edits != 1 || m.ReplyMarkup != nil {
		t.Errorf("photo message = %+v, want caption edited once, keyboard removed", m)
	}
	if m := msgs[1]; m.Text != "Paid ✅" || m.Edits != 2 || !m.Deleted || m.ReplyMarkup != nil {
		t.Errorf("text message = %+v, want text edited, keyboard removed, deleted", m)
	}
}

func TestUnmarshalByTelego(t *testing.T) {
	// Every result decodes into telego's types: checked by the calls above;
	// here the raw Message JSON of a photo is pinned.
	fake, bot, _ := newBot(t)
	if _, err := bot.SendPhoto(context.Background(), tu.Photo(tu.ID(-1001234567890), tu.FileFromBytes(pngOf(t, 2, 1), "a.png"))); err != nil {
		t.Fatalf("send photo: %v", err)
	}
	fake.mu.Lock()
	got := string(marshal(fake.wireLocked(fake.chats[-1001234567890].msgs[0])))
	fake.mu.Unlock()
	want := `{"message_id":1,"from":{"id":123456,"is_bot":true,"first_name":"Fake Bot","username":"fake_bot"},` +
		`"chat":{"id":-1001234567890,"type":"supergroup"},"date":` + jsonInt(testsupport.T0.Unix()) +
		`,"photo":[{"file_id":"AgACAgIAAxkBAAI00000001","file_unique_id":"AQAD00000001","width":2,"height":1,"file_size":` + jsonInt(int64(len(pngOf(t, 2, 1)))) + `}]}`
	if got != want {
		t.Errorf("message JSON\n got %s\nwant %s", got, want)
	}
}

func jsonInt(n int64) string { b, _ := json.Marshal(n); return string(b) }

func TestConcurrentSends(t *testing.T) {
	fake, bot, _ := newBot(t)
	const n = 50
	errs := make(chan error, n)
	for i := range n {
		go func() {
			_, err := bot.SendMessage(context.Background(), tu.Message(tu.ID(int64(1+i%3)), "hi"))
			errs <- err
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Fatalf("send: %v", err)
		}
	}
	total := 0
	for _, chat := range fake.Chats() {
		for i, m := range fake.Messages(chat) {
			if m.ID != i+1 {
				t.Errorf("chat %d message %d has id %d, want %d", chat, i, m.ID, i+1)
			}
			total++
		}
	}
	if total != n {
		t.Errorf("got %d messages, want %d", total, n)
	}
}
