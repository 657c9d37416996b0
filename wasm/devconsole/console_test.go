package devconsole_test

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/paylastic/edge/core/cas"
	"github.com/paylastic/edge/wasm/devconsole"
	"github.com/paylastic/edge/wasm/hosttest"
)

// These tests run the console in front of the compiled guest and read its
// chat as the page does (GET /dev/api/chat).

type console struct {
	t *testing.T
	e *hosttest.Env
}

func start(t *testing.T) *console {
	return &console{t: t, e: hosttest.Start(t, hosttest.Options{Console: true})}
}

// post calls the console's API as the page does and returns its answer.
func (c *console) post(path, body string) map[string]any {
	c.t.Helper()
	resp, err := http.Post(c.e.URL+path, "application/json", strings.NewReader(body))
	if err != nil {
		c.t.Fatalf("POST %s: %v", path, err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	if resp.StatusCode != http.StatusOK || out["error"] != nil {
		c.t.Fatalf("POST %s %s = %d %v", path, body, resp.StatusCode, out)
	}
	if s, _ := out["status"].(float64); s >= 400 {
		c.t.Fatalf("POST %s %s: the product answered %v", path, body, out)
	}
	return out
}

func (c *console) chat(via string) devconsole.Chat {
	c.t.Helper()
	resp, err := http.Get(c.e.URL + "/dev/api/chat?via=" + via)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	var ch devconsole.Chat
	if err := json.NewDecoder(resp.Body).Decode(&ch); err != nil {
		c.t.Fatal(err)
	}
	return ch
}

// check makes a demo merchant and a check of amount in via's chat and
// returns the chat.
func (c *console) check(via, amount string) devconsole.Chat {
	c.t.Helper()
	c.post("/dev/api/demo", `{"via":"`+via+`","lang":"uk"}`)
	c.post("/dev/api/send", `{"via":"`+via+`","lang":"uk","text":"`+amount+`"}`)
	return c.chat(via)
}

// qr is the last bot message with a picture.
func qr(t *testing.T, ch devconsole.Chat) devconsole.Bubble {
	t.Helper()
	for i := len(ch.Messages) - 1; i >= 0; i-- {
		if m := ch.Messages[i]; m.From == "bot" && m.Photo != "" {
			return m
		}
	}
	t.Fatalf("no QR in the chat: %+v", ch.Messages)
	return devconsole.Bubble{}
}

func labels(kb [][]devconsole.Button) []string {
	var out []string
	for _, row := range kb {
		for _, b := range row {
			out = append(out, b.Text)
		}
	}
	return out
}

// TestTelegramCancelQR: «Скасувати» under the QR edits its caption (the
// console's button press carries the photo, as Telegram's does) and the
// answer shows as a toast right after it.
func TestTelegramCancelQR(t *testing.T) {
	c := start(t)
	pic := qr(t, c.check("telegram", "12,50"))
	if len(pic.Inline) != 1 || !strings.HasPrefix(pic.Inline[0][0].Data, "cancel:") {
		t.Fatalf("QR buttons = %+v, want «Скасувати»", pic.Inline)
	}
	c.post("/dev/api/press", `{"via":"telegram","lang":"uk","data":"`+pic.Inline[0][0].Data+`","message_id":`+strconv.Itoa(pic.ID)+`}`)

	ch := c.chat("telegram")
	i := slices.IndexFunc(ch.Messages, func(m devconsole.Bubble) bool { return m.ID == pic.ID && m.From == "bot" })
	if i < 0 {
		t.Fatalf("the QR message is gone: %+v", ch.Messages)
	}
	got := ch.Messages[i]
	if !strings.Contains(got.Text, "скасовано") || got.Photo == "" || len(got.Inline) != 0 || !got.Edited {
		t.Errorf("QR after «Скасувати» = %+v, want the photo with its caption edited to «скасовано», no buttons, marked edited", got)
	}
	last := ch.Messages[len(ch.Messages)-1]
	if last.From != "toast" || last.Text != "Чек скасовано" {
		t.Errorf("after the edit comes %+v, want the toast «Чек скасовано»", last)
	}
	for _, call := range c.e.Console.Telegram.Calls() {
		if !call.OK() {
			t.Errorf("the fake Telegram refused %s: %d %s", call.Method, call.Status, call.Error)
		}
	}
}

// TestViberOrder: the Viber chat shows the cashier's messages and the bot's
// in the order they happened; silent keys (the product's) show nothing of
// the cashier's, as in Viber.
func TestViberOrder(t *testing.T) {
	c := start(t)
	c.post("/dev/api/demo", `{"via":"viber","lang":"uk"}`)
	c.post("/dev/api/press", `{"via":"viber","lang":"uk","data":"new"}`)
	c.post("/dev/api/send", `{"via":"viber","lang":"uk","text":"12,50"}`)
	ch := c.chat("viber")
	var seq []string
	for _, m := range ch.Messages {
		kind := m.From
		if m.Photo != "" {
			kind += ":picture"
		}
		seq = append(seq, kind)
	}
	// greeting, the code, «activated», «enter the amount» (the silent key
	// shows nothing), 12,50, the picture and its details
	want := []string{"bot", "me", "bot", "bot", "me", "bot:picture", "bot"}
	if !slices.Equal(seq, want) {
		t.Errorf("Viber chat = %v, want %v:\n%+v", seq, want, ch.Messages)
	}
	if got := ch.Messages[4].Text; got != "12,50" {
		t.Errorf("the cashier's amount is %q, want 12,50", got)
	}
	// the keyboard is laid out on Viber's 6-column grid
	var cols []int
	for _, row := range ch.Keyboard {
		for _, b := range row {
			cols = append(cols, b.Columns)
		}
	}
	// (the demo merchant's operator is its owner: five keys, then the
	// check's «Скасувати» and «Надіслати покупцю» across)
	if l := labels(ch.Keyboard); !slices.Equal(cols, []int{6, 3, 3, 3, 3, 6, 6}) || l[5] != "Скасувати" {
		t.Errorf("keyboard %v with columns %v, want the owner's 5 keys on 6, 3+3, 3+3, then «Скасувати» and the share key on 6", l, cols)
	}
}

// TestStrangerKeyboard: before activation the chat shows no operator
// keyboard on either messenger, and the console says the chat is not
// activated; after «Demo merchant» it is, with the keyboard.
func TestStrangerKeyboard(t *testing.T) {
	for _, via := range []string{"telegram", "viber"} {
		t.Run(via, func(t *testing.T) {
			c := start(t)
			for _, text := range []string{"привіт", "ABCD-EFGH-JK", "Створити чек"} {
				c.post("/dev/api/send", `{"via":"`+via+`","lang":"uk","text":"`+text+`"}`)
				if ch := c.chat(via); len(ch.Keyboard) != 0 || ch.Activated {
					t.Errorf("after %q: keyboard %v, activated %v; want none, false", text, labels(ch.Keyboard), ch.Activated)
				}
			}
			c.post("/dev/api/demo", `{"via":"`+via+`","lang":"uk"}`)
			if ch := c.chat(via); !ch.Activated || !slices.Contains(labels(ch.Keyboard), "Створити чек") {
				t.Errorf("after the demo: keyboard %v, activated %v; want «Створити чек», true", labels(ch.Keyboard), ch.Activated)
			}
		})
	}
}

// TestDemoTwice: «Demo merchant» on an activated chat makes no second
// merchant and leaves the chat with its merchant.
func TestDemoTwice(t *testing.T) {
	c := start(t)
	first := c.post("/dev/api/demo", `{"via":"telegram","lang":"uk"}`)
	second := c.post("/dev/api/demo", `{"via":"telegram","lang":"uk"}`)
	if first["merchant"] == nil || second["merchant"] != nil || second["activated"] != true {
		t.Errorf("demo twice = %v then %v; want a merchant, then «already activated» and none", first, second)
	}
	items, err := c.e.States.List(context.Background(), "m:", "", cas.MaxList)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 1 {
		t.Errorf("%d merchants after two presses, want 1", len(items))
	}
	n := 0
	for _, m := range c.chat("telegram").Messages {
		if strings.HasPrefix(m.Text, "Готово! Тепер ви власник") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d activations in the chat, want 1", n)
	}
}
