package devconsole

import (
	"encoding/json"
	"io"
	"net/http"
	"time"

	tgfake "github.com/paylastic/edge/fakes/telegram"
	viberfake "github.com/paylastic/edge/fakes/viber"
)

// The console operator, as Telegram and Viber describe them.
func tgUser(lang string) tgfake.User {
	return tgfake.User{ID: ChatID, FirstName: "Оля", Username: "dev_console", LanguageCode: lang}
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
	c.remember("telegram", id, uint64(id), text)
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

// telegramCallback posts a callback_query update: the inline button with
// data under message messageID pressed. The fake builds the query as
// Telegram does, with the message as the chat shows it (a photo and its
// caption), so the product edits what it would edit on Telegram.
func (c *Console) telegramCallback(r *http.Request, data string, messageID int, lang string) (int, []byte, error) {
	q, err := c.Telegram.PressButton(ChatID, messageID, tgUser(lang), data)
	if err != nil {
		return 0, nil, errorf("press: %w", err)
	}
	return c.postTelegram(r, map[string]any{"update_id": c.nextUpdate(), "callback_query": q})
}

func (c *Console) postTelegram(r *http.Request, update map[string]any) (int, []byte, error) {
	body, _ := json.Marshal(update)
	return c.post(r.Context(), "/telegram/webhook", body, map[string]string{"X-Telegram-Bot-Api-Secret-Token": c.Env["TELEGRAM_WEBHOOK_SECRET"]})
}

// viberText delivers a signed message callback, as Viber would.
// shown is what the chat shows as the operator's message ("" for none).
func (c *Console) viberText(r *http.Request, text, shown, lang string) (int, []byte, error) {
	tok := c.Viber.NextMessageToken()
	if shown != "" {
		c.remember("viber", 0, tok, shown)
	}
	body := viberfake.MessageCallback(ViberUser, "Оля", lang, text, tok, time.Now(), "")
	return c.deliverViber(r, body)
}

// viberStart delivers conversation_started: the user opened the chat.
func (c *Console) viberStart(r *http.Request, lang string) (int, []byte, error) {
	body := viberfake.ConversationStarted(ViberUser, "Оля", lang, "", false, c.Viber.NextMessageToken(), time.Now())
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
