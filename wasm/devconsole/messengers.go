package devconsole

import (
	"encoding/json"
	"io"
	"net/http"
	"time"

	viberfake "github.com/paylastic/edge/fakes/viber"
)

// The console operator, as Telegram and Viber describe them.
func tgUser(lang string) map[string]any {
	return map[string]any{"id": ChatID, "is_bot": false, "first_name": "Оля", "username": "dev_console", "language_code": lang}
}

func (c *Console) nextUpdate() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.updateID++
	return c.updateID
}

// telegramText posts a message update, as Telegram would on a webhook.
func (c *Console) telegramText(r *http.Request, text, lang string) (int, []byte, error) {
	id := c.Telegram.NextMessageID(ChatID)
	c.remember("telegram", id, text)
	update := map[string]any{
		"update_id": c.nextUpdate(),
		"message": map[string]any{
			"message_id": id,
			"from":       tgUser(lang),
			"chat":       map[string]any{"id": ChatID, "type": "private", "first_name": "Оля"},
			"date":       time.Now().Unix(),
			"text":       text,
		},
	}
	return c.postTelegram(r, update)
}

// telegramCallback posts a callback_query update: an inline button pressed.
func (c *Console) telegramCallback(r *http.Request, data string, messageID int, lang string) (int, []byte, error) {
	upd := c.nextUpdate()
	update := map[string]any{
		"update_id": upd,
		"callback_query": map[string]any{
			"id":            "dev-" + time.Now().Format("150405.000000"),
			"from":          tgUser(lang),
			"chat_instance": "dev-console",
			"data":          data,
			"message": map[string]any{
				"message_id": messageID,
				"chat":       map[string]any{"id": ChatID, "type": "private", "first_name": "Оля"},
				"date":       time.Now().Unix(),
			},
		},
	}
	return c.postTelegram(r, update)
}

func (c *Console) postTelegram(r *http.Request, update map[string]any) (int, []byte, error) {
	body, _ := json.Marshal(update)
	return c.post(r.Context(), "/telegram/webhook", body, map[string]string{"X-Telegram-Bot-Api-Secret-Token": c.Env["TELEGRAM_WEBHOOK_SECRET"]})
}

func (c *Console) nextToken() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.token += 7
	return c.token
}

// viberText delivers a signed message callback, as Viber would.
// shown is what the chat shows as the operator's message ("" for none).
func (c *Console) viberText(r *http.Request, text, shown, lang string) (int, []byte, error) {
	tok := c.nextToken()
	if shown != "" {
		c.remember("viber", int(tok-viberfake.FirstMessageToken), shown)
	}
	body := viberfake.MessageCallback(ViberUser, "Оля", lang, text, tok, time.Now(), "")
	return c.deliverViber(r, body)
}

// viberStart delivers conversation_started: the user opened the chat.
func (c *Console) viberStart(r *http.Request, lang string) (int, []byte, error) {
	body := viberfake.ConversationStarted(ViberUser, "Оля", lang, "", false, c.nextToken(), time.Now())
	return c.deliverViber(r, body)
}

func (c *Console) deliverViber(r *http.Request, body []byte) (int, []byte, error) {
	resp, err := c.Viber.Deliver(r.Context(), c.client(), c.BaseURL+"/viber/webhook", body)
	if err != nil {
		return 0, nil, errorf("deliver viber callback: %w", err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b, nil
}
