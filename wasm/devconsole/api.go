package devconsole

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/paylastic/edge/core/bot"
	tgfake "github.com/paylastic/edge/fakes/telegram"
)

// Button is a keyboard button as the page shows it. Data is Telegram's
// callback_data (inline buttons) or Viber's ActionBody; Text is the label,
// which a Telegram reply button also sends.
type Button struct {
	Text string `json:"text"`
	Data string `json:"data,omitempty"`
	URL  string `json:"url,omitempty"`
	// Columns is a Viber key's width on Viber's 6-column grid; 0 on Telegram.
	Columns int `json:"columns,omitempty"`
}

// Bubble is one thing of the chat as the page shows it: a message ("me" or
// "bot") or a toast, a bot's answer to a Telegram button press ("toast"),
// which a Telegram client shows over the chat for a moment.
type Bubble struct {
	From   string     `json:"from"`         // "me", "bot" or "toast"
	ID     int        `json:"id,omitempty"` // Telegram's message_id (the pressed message's, for a toast)
	Time   time.Time  `json:"time"`
	Text   string     `json:"text"`
	Photo  string     `json:"photo,omitempty"` // an URL the page can load
	Inline [][]Button `json:"inline,omitempty"`
	Edited bool       `json:"edited,omitempty"` // the bot edited the message
	Alert  bool       `json:"alert,omitempty"`  // a toast shown as a dialog (show_alert)
	order  uint64     // the chat's order: Telegram message ids, Viber message tokens
}

// Chat is the page's view of one messenger's chat.
type Chat struct {
	Via      string     `json:"via"`
	Messages []Bubble   `json:"messages"`           // in the order they happened
	Keyboard [][]Button `json:"keyboard,omitempty"` // the bot's keyboard shown under the chat
	// Activated: the console's user is an operator, as the chat shows it
	// (the bot gave them the operator's keyboard).
	Activated bool `json:"activated"`
}

func (c *Console) chat(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, c.chatOf(r.URL.Query().Get("via")))
}

func (c *Console) chatOf(via string) Chat {
	if via == "viber" {
		return c.viberChat()
	}
	return c.telegramChat()
}

func (c *Console) userBubbles(via string) []Bubble {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []Bubble
	for _, m := range c.user[via] {
		out = append(out, Bubble{From: "me", ID: m.ID, Time: m.Time, Text: m.Text, order: m.order})
	}
	return out
}

// telegramChat is the chat as a Telegram client shows it: messages by
// message_id (the user's and the bot's share them), edits applied, each
// toast after the newest message of its moment, and the reply keyboard the
// bot set last (Telegram keeps it until it is replaced or removed).
func (c *Console) telegramChat() Chat {
	ch := Chat{Via: "telegram", Messages: c.userBubbles("telegram")}
	for i := range ch.Messages {
		ch.Messages[i].order *= 2
	}
	for _, m := range c.Telegram.Messages(ChatID) {
		if m.Deleted {
			continue
		}
		b := Bubble{From: "bot", ID: m.ID, Time: m.Date, Text: m.Plain, Edited: m.Edits > 0, order: 2 * uint64(m.ID)}
		if m.Photo != "" {
			b.Photo = "/dev/api/photo/" + m.Photo
		} else if m.PhotoURL != "" {
			b.Photo = m.PhotoURL
		}
		var markup struct {
			Keyboard [][]struct {
				Text string `json:"text"`
			} `json:"keyboard"`
			Inline [][]struct {
				Text string `json:"text"`
				Data string `json:"callback_data"`
				URL  string `json:"url"`
			} `json:"inline_keyboard"`
			Remove bool `json:"remove_keyboard"`
		}
		if len(m.ReplyMarkup) > 0 && json.Unmarshal(m.ReplyMarkup, &markup) == nil {
			for _, row := range markup.Inline {
				var r []Button
				for _, btn := range row {
					r = append(r, Button{Text: btn.Text, Data: btn.Data, URL: btn.URL})
				}
				b.Inline = append(b.Inline, r)
			}
			if len(markup.Keyboard) > 0 {
				ch.Keyboard = nil
				for _, row := range markup.Keyboard {
					var r []Button
					for _, btn := range row {
						r = append(r, Button{Text: btn.Text})
					}
					ch.Keyboard = append(ch.Keyboard, r)
				}
			}
			if markup.Remove {
				ch.Keyboard = nil
			}
		}
		ch.Messages = append(ch.Messages, b)
	}
	for _, t := range c.Telegram.Toasts(ChatID) {
		if strings.TrimSpace(t.Text) == "" {
			continue // Telegram shows nothing
		}
		ch.Messages = append(ch.Messages, Bubble{From: "toast", ID: t.MessageID, Time: t.Time, Text: t.Text, Alert: t.ShowAlert, order: 2*uint64(t.After) + 1})
	}
	sortChat(ch.Messages)
	for _, row := range ch.Keyboard {
		for _, b := range row {
			if id, ok := bot.ParseButton(b.Text); ok && id == bot.NewCheck {
				ch.Activated = true
			}
		}
	}
	return ch
}

func sortChat(msgs []Bubble) {
	sort.SliceStable(msgs, func(i, j int) bool { return msgs[i].order < msgs[j].order })
}

var tags = regexp.MustCompile(`<[^>]*>`)

// viberKey is a key of a Viber keyboard as the fake recorded it.
type viberKey struct {
	Columns    int    `json:"Columns"`
	ActionType string `json:"ActionType"`
	ActionBody string `json:"ActionBody"`
	Text       string `json:"Text"`
	Silent     bool   `json:"Silent"`
}

// viberKeys is the keyboard of a Viber message; nil for none.
func viberKeys(raw json.RawMessage) []viberKey {
	var kb struct {
		Buttons []viberKey `json:"Buttons"`
	}
	if len(raw) == 0 || json.Unmarshal(raw, &kb) != nil {
		return nil
	}
	return kb.Buttons
}

// viberChat is the chat as Viber shows it: messages by message_token (the
// user's and the bot's come from one counter), and under it the keyboard of
// the bot's last message, if that has one: Viber shows no other.
func (c *Console) viberChat() Chat {
	ch := Chat{Via: "viber", Messages: c.userBubbles("viber")}
	var keys []viberKey
	for _, m := range c.Viber.Messages(ViberUser) {
		b := Bubble{From: "bot", Time: m.Time, Text: m.Text, order: m.Token}
		if m.Type == "picture" {
			b.Photo = m.Media
		}
		keys = viberKeys(m.Keyboard)
		ch.Messages = append(ch.Messages, b)
	}
	sortChat(ch.Messages)
	var row []Button
	for _, k := range keys {
		cols := k.Columns
		if cols < 1 || cols > 6 {
			cols = 6 // Viber's default
		}
		b := Button{Text: strings.TrimSpace(tags.ReplaceAllString(k.Text, "")), Data: k.ActionBody, Columns: cols}
		if k.ActionType == "open-url" {
			b.URL, b.Data = k.ActionBody, ""
		}
		row = append(row, b)
		ch.Activated = ch.Activated || k.ActionBody == bot.NewCheck.String()
	}
	if len(row) > 0 {
		ch.Keyboard = [][]Button{row}
	}
	return ch
}

// viberKey finds the key with ActionBody body on the keyboard shown now.
func (c *Console) viberKey(body string) (viberKey, bool) {
	msgs := c.Viber.Messages(ViberUser)
	if len(msgs) == 0 {
		return viberKey{}, false
	}
	for _, k := range viberKeys(msgs[len(msgs)-1].Keyboard) {
		if k.ActionBody == body {
			return k, true
		}
	}
	return viberKey{}, false
}

type sendRequest struct {
	Via       string `json:"via"`
	Text      string `json:"text"`
	Lang      string `json:"lang"`
	Data      string `json:"data"`       // Telegram callback_data / Viber ActionBody
	MessageID int    `json:"message_id"` // the message an inline button belongs to
}

func decode(w http.ResponseWriter, r *http.Request) (sendRequest, bool) {
	var req sendRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&req); err != nil {
		fail(w, http.StatusBadRequest, "bad request: %v", err)
		return req, false
	}
	if req.Lang != "en" {
		req.Lang = "uk"
	}
	return req, true
}

// send posts what the console operator typed (or a reply button's text).
func (c *Console) send(w http.ResponseWriter, r *http.Request) {
	req, ok := decode(w, r)
	if !ok {
		return
	}
	status, body, err := c.say(r, req.Via, req.Text, req.Lang)
	if err != nil {
		fail(w, http.StatusBadGateway, "%v", err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"status": status, "body": string(body)})
}

// press presses an inline button (Telegram) or a keyboard key (Viber) of
// the chat as it is now; a button no longer shown answers 409.
func (c *Console) press(w http.ResponseWriter, r *http.Request) {
	req, ok := decode(w, r)
	if !ok {
		return
	}
	var status int
	var body []byte
	var err error
	if req.Via == "viber" {
		k, shown := c.viberKey(req.Data)
		if !shown {
			fail(w, http.StatusConflict, "no key %q on the Viber keyboard now", req.Data)
			return
		}
		text := k.ActionBody // what Viber shows for a reply key, unless it is silent
		if k.Silent {
			text = ""
		}
		status, body, err = c.viberText(r, k.ActionBody, text, req.Lang)
	} else {
		status, body, err = c.telegramCallback(r, req.Data, req.MessageID, req.Lang)
	}
	if errors.Is(err, tgfake.ErrNoButton) {
		fail(w, http.StatusConflict, "%v", err)
		return
	}
	if err != nil {
		fail(w, http.StatusBadGateway, "%v", err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"status": status, "body": string(body)})
}

func (c *Console) say(r *http.Request, via, text, lang string) (int, []byte, error) {
	if via == "viber" {
		return c.viberText(r, text, text, lang)
	}
	return c.telegramText(r, text, lang)
}

// demo opens the chat (/start, or Viber's conversation_started) and, unless
// the bot's answer shows the user is an operator already, creates a demo
// merchant through the admin API and sends its activation code, so a
// newcomer gets to «Створити чек» in one click. Pressed again, it makes no
// second merchant: the chat would move to it without a word.
func (c *Console) demo(w http.ResponseWriter, r *http.Request) {
	req, ok := decode(w, r)
	if !ok {
		return
	}
	c.demoMu.Lock() // a double click must not make two merchants either
	defer c.demoMu.Unlock()
	var err error
	if req.Via == "viber" {
		_, _, err = c.viberStart(r, req.Lang)
	} else {
		_, _, err = c.telegramText(r, "/start", req.Lang)
	}
	if err != nil {
		fail(w, http.StatusBadGateway, "%v", err)
		return
	}
	if c.chatOf(req.Via).Activated {
		writeJSON(w, http.StatusOK, map[string]any{"activated": true})
		return
	}
	status, body, err := c.post(r.Context(), "/admin/merchants", []byte(`{"name":"Кавʼярня «Демо»"}`),
		map[string]string{"Authorization": "Bearer " + c.Env["ADMIN_TOKEN"]})
	if err != nil || status != http.StatusCreated {
		fail(w, http.StatusBadGateway, "create demo merchant: %d %s %v", status, body, err)
		return
	}
	var m struct {
		ID   string `json:"id"`
		Code string `json:"activation_code"`
	}
	_ = json.Unmarshal(body, &m)
	if _, _, err := c.say(r, req.Via, m.Code, req.Lang); err != nil {
		fail(w, http.StatusBadGateway, "%v", err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"merchant": m.ID, "activation_code": m.Code, "activated": c.chatOf(req.Via).Activated})
}

func (c *Console) photo(w http.ResponseWriter, r *http.Request) {
	b, ok := c.Telegram.Photo(r.PathValue("id"))
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", http.DetectContentType(b))
	_, _ = w.Write(b)
}

// remember records what the console's user sent: id is its Telegram
// message_id (0 on Viber), order its place in the chat.
func (c *Console) remember(via string, id int, order uint64, text string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.user[via] = append(c.user[via], userMessage{ID: id, order: order, Time: time.Now(), Text: text})
	if n := len(c.user[via]); n > 1000 {
		c.user[via] = c.user[via][n-1000:]
	}
}

func errorf(format string, args ...any) error { return fmt.Errorf("devconsole: "+format, args...) }
