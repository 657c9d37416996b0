package devconsole

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"time"

	viberfake "github.com/paylastic/edge/fakes/viber"
)

// Button is a keyboard button as the page shows it. Data is Telegram's
// callback_data (inline buttons); Text is what a reply button sends.
type Button struct {
	Text string `json:"text"`
	Data string `json:"data,omitempty"`
	URL  string `json:"url,omitempty"`
}

// Bubble is one message of the chat as the page shows it.
type Bubble struct {
	From   string     `json:"from"` // "me" or "bot"
	ID     int        `json:"id,omitempty"`
	Time   time.Time  `json:"time"`
	Text   string     `json:"text"`
	Photo  string     `json:"photo,omitempty"` // an URL the page can load
	Inline [][]Button `json:"inline,omitempty"`
	seq    int
}

// Chat is the page's view of one messenger's chat.
type Chat struct {
	Via      string     `json:"via"`
	Messages []Bubble   `json:"messages"`
	Keyboard [][]Button `json:"keyboard,omitempty"` // the reply keyboard shown under the chat
}

func (c *Console) chat(w http.ResponseWriter, r *http.Request) {
	via := r.URL.Query().Get("via")
	var ch Chat
	switch via {
	case "viber":
		ch = c.viberChat()
	default:
		ch = c.telegramChat()
	}
	writeJSON(w, http.StatusOK, ch)
}

func (c *Console) userBubbles(via string) []Bubble {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []Bubble
	for _, m := range c.user[via] {
		out = append(out, Bubble{From: "me", ID: m.ID, Time: m.Time, Text: m.Text})
	}
	return out
}

func (c *Console) telegramChat() Chat {
	ch := Chat{Via: "telegram", Messages: c.userBubbles("telegram")}
	for _, m := range c.Telegram.Messages(ChatID) {
		if m.Deleted {
			continue
		}
		b := Bubble{From: "bot", ID: m.ID, Time: m.Date, Text: m.Plain}
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
	sort.SliceStable(ch.Messages, func(i, j int) bool { return ch.Messages[i].ID < ch.Messages[j].ID })
	return ch
}

var tags = regexp.MustCompile(`<[^>]*>`)

func (c *Console) viberChat() Chat {
	ch := Chat{Via: "viber", Messages: c.userBubbles("viber")}
	for i := range ch.Messages {
		ch.Messages[i].seq = ch.Messages[i].ID
	}
	for _, m := range c.Viber.Messages(ViberUser) {
		b := Bubble{From: "bot", Time: m.Time, Text: m.Text, seq: int(m.Token - viberfake.FirstMessageToken)}
		if m.Type == "picture" {
			b.Photo = m.Media
		}
		var kb struct {
			Buttons []struct {
				ActionType string `json:"ActionType"`
				ActionBody string `json:"ActionBody"`
				Text       string `json:"Text"`
			} `json:"Buttons"`
		}
		if len(m.Keyboard) > 0 && json.Unmarshal(m.Keyboard, &kb) == nil {
			ch.Keyboard = nil
			var row []Button
			for _, btn := range kb.Buttons {
				label := strings.TrimSpace(tags.ReplaceAllString(btn.Text, ""))
				if btn.ActionType == "open-url" {
					row = append(row, Button{Text: label, URL: btn.ActionBody})
				} else {
					row = append(row, Button{Text: label, Data: btn.ActionBody})
				}
			}
			ch.Keyboard = [][]Button{row}
		}
		ch.Messages = append(ch.Messages, b)
	}
	sort.SliceStable(ch.Messages, func(i, j int) bool { return ch.Messages[i].seq < ch.Messages[j].seq })
	return ch
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

// press presses an inline button (Telegram) or a keyboard button (Viber).
func (c *Console) press(w http.ResponseWriter, r *http.Request) {
	req, ok := decode(w, r)
	if !ok {
		return
	}
	var status int
	var body []byte
	var err error
	if req.Via == "viber" {
		status, body, err = c.viberText(r, req.Data, req.Text, req.Lang)
	} else {
		status, body, err = c.telegramCallback(r, req.Data, req.MessageID, req.Lang)
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

// demo creates a demo merchant through the admin API and activates the
// console's operator with its code, so a newcomer gets to «Створити чек» in
// one click.
func (c *Console) demo(w http.ResponseWriter, r *http.Request) {
	req, ok := decode(w, r)
	if !ok {
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
	if req.Via == "viber" {
		if _, _, err := c.viberStart(r, req.Lang); err != nil {
			fail(w, http.StatusBadGateway, "%v", err)
			return
		}
	} else if _, _, err := c.telegramText(r, "/start", req.Lang); err != nil {
		fail(w, http.StatusBadGateway, "%v", err)
		return
	}
	if _, _, err := c.say(r, req.Via, m.Code, req.Lang); err != nil {
		fail(w, http.StatusBadGateway, "%v", err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"merchant": m.ID, "activation_code": m.Code})
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

func (c *Console) remember(via string, id int, text string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.user[via] = append(c.user[via], userMessage{ID: id, Time: time.Now(), Text: text})
	if n := len(c.user[via]); n > 1000 {
		c.user[via] = c.user[via][n-1000:]
	}
}

func errorf(format string, args ...any) error { return fmt.Errorf("devconsole: "+format, args...) }
