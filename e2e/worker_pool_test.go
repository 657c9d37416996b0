package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	tgfake "github.com/paylastic/edge/fakes/telegram"
	vbfake "github.com/paylastic/edge/fakes/viber"
	"github.com/paylastic/edge/internal/testsupport"
	"github.com/paylastic/edge/worker/workertest"
)

// TestWorkerOneInstance: with the pool held to one Go instance, requests of
// two merchants, in two languages, over two messengers, interleaved, are
// all answered right: nothing of one request survives into the next on the
// same instance.
func TestWorkerOneInstance(t *testing.T) {
	const vbTok = "worker-viber-auth-token-0123456789abcdef"
	env := workertest.Start(t, workertest.Options{Env: map[string]string{
		"POOL_MAX_INSTANCES":      "1",
		"TELEGRAM_BOT_TOKEN":      wTGToken,
		"TELEGRAM_WEBHOOK_SECRET": wTGSecret,
		"VIBER_AUTH_TOKEN":        vbTok,
	}})
	tg, vb := tgfake.New(wTGToken), vbfake.New(vbTok)
	env.Outbound.Handle("telegram", tg)
	env.Outbound.Handle("viber", vb)
	admin := func(name string) string {
		t.Helper()
		st, body := testsupport.AdminCall(t, env.URL, workertest.AdminToken, "POST", "/admin/merchants", fmt.Sprintf(`{"name":%q}`, name))
		code, _ := testsupport.ActivationCode(t, st, body)
		return code
	}
	post := func(path string, header http.Header, body []byte) {
		t.Helper()
		req, _ := http.NewRequest("POST", env.URL+path, bytes.NewReader(body))
		req.Header = header
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("POST %s = %d %s", path, resp.StatusCode, b)
		}
	}
	update := 1000
	tgSay := func(chat int64, text string) {
		t.Helper()
		update++
		b, _ := json.Marshal(map[string]any{"update_id": update, "message": map[string]any{
			"message_id": tg.NextMessageID(chat), "date": time.Now().Unix(), "text": text,
			"chat": map[string]any{"id": chat, "type": "private", "first_name": "Оля"},
			"from": map[string]any{"id": chat, "is_bot": false, "first_name": "Оля", "language_code": "uk"},
		}})
		post("/telegram/webhook", http.Header{"X-Telegram-Bot-Api-Secret-Token": {wTGSecret}}, b)
	}
	token := uint64(vbfake.FirstMessageToken + 1<<40)
	vbSay := func(user, text string) {
		t.Helper()
		token++
		body := vbfake.MessageCallback(user, "Ann", "en", text, token, time.Now(), "")
		post("/viber/webhook", http.Header{vbfake.SignatureHeader: {vbfake.Sign(vbTok, body)}}, body)
	}
	const chat, user = int64(777001), "viberUser1=="
	tgSay(chat, admin("Кавʼярня Ранок"))
	vbSay(user, admin("Book Shop"))
	for i := range 3 {
		tgSay(chat, fmt.Sprintf("%d,50", 12+i))
		vbSay(user, fmt.Sprintf("%d", 7+i))
	}
	var captions []string
	for _, m := range tg.Messages(chat) {
		if m.Photo != "" {
			captions = append(captions, m.Plain)
		}
	}
	var texts []string
	for _, m := range vb.Messages(user) {
		texts = append(texts, m.Text)
	}
	if len(captions) != 3 {
		t.Fatalf("Telegram QR messages: %d, want 3: %q", len(captions), captions)
	}
	for i, c := range captions {
		if !strings.Contains(c, fmt.Sprintf("%d,50 грн", 12+i)) || !strings.Contains(c, "Кавʼярня Ранок") || strings.Contains(c, "Book Shop") || !strings.Contains(c, "Чек") {
			t.Errorf("Telegram check %d: %q; want 12+%d,50 грн at Кавʼярня Ранок, in Ukrainian", i, c, i)
		}
	}
	all := strings.Join(texts, "\n")
	if strings.Contains(all, "Кавʼярня") || strings.Contains(all, "грн") || strings.Contains(all, "Чек") {
		t.Errorf("the Viber chat got words of the other merchant or language: %q", texts)
	}
	for i := range 3 {
		want := fmt.Sprintf("UAH %d.00", 7+i)
		found := false
		for _, s := range texts {
			found = found || (strings.Contains(s, want) && strings.Contains(s, "Book Shop"))
		}
		if !found {
			t.Errorf("no Viber check of %s at Book Shop in %q", want, texts)
		}
	}
	resp, err := http.Get(env.URL + "/_test/pool")
	if err != nil {
		t.Fatal(err)
	}
	var s struct {
		Created, Reused int
		Live            int
	}
	json.NewDecoder(resp.Body).Decode(&s)
	resp.Body.Close()
	if s.Live != 1 || s.Created != 1 || s.Reused < 8 {
		t.Errorf("pool %+v: want one instance, reused for every request", s)
	}
}
