package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"

	tgfake "github.com/paylastic/edge/fakes/telegram"
	"github.com/paylastic/edge/internal/testsupport"
	"github.com/paylastic/edge/worker/workertest"
)

// call sends a request to the target and returns the status and body.
func (tg *target) call(t *testing.T, method, path string, header http.Header, body []byte) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, tg.URL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := tg.client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// admin calls the admin API with the test token.
func (tg *target) admin(t *testing.T, method, path, body string) (int, string) {
	t.Helper()
	h := http.Header{"Authorization": {"Bearer " + workertest.AdminToken}}
	if body != "" {
		h.Set("Content-Type", "application/json")
	}
	return tg.call(t, method, path, h, []byte(body))
}

// merchant registers a merchant and returns its activation code.
func (tg *target) merchant(t *testing.T, name string) string {
	t.Helper()
	st, body := tg.admin(t, "POST", "/admin/merchants", fmt.Sprintf(`{"name":%q}`, name))
	return activationCode(t, st, body)
}

// keys lists every KV key under prefix, through the raw store.
func (tg *target) keys(t *testing.T, prefix string) []string {
	t.Helper()
	var out []string
	cursor := ""
	for {
		p, err := tg.store.List(t.Context(), prefix, cursor, 0)
		if err != nil {
			t.Fatalf("list %q: %v", prefix, err)
		}
		for _, k := range p.Keys {
			out = append(out, k.Name)
		}
		if p.Complete {
			sort.Strings(out)
			return out
		}
		cursor = p.Cursor
	}
}

// chatOp is an operator of a merchant in a private chat with the bot on a
// fresh fake Bot API.
type chatOp struct {
	tg     *target
	t      *testing.T
	fake   *tgfake.Server
	chat   int64
	lang   string
	update int64
}

// operator installs a fresh fake Bot API behind the target's outbound
// server and returns an operator chatting with the bot from chat.
func (tg *target) operator(t *testing.T, chat int64, lang string) *chatOp {
	fake := tgfake.New(wTGToken)
	fake.SetClock(tg.now)
	tg.outbound.Handle("telegram", fake)
	return &chatOp{tg: tg, t: t, fake: fake, chat: chat, lang: lang, update: chat * 1000}
}

// activate makes the operator a cashier of a new merchant.
func (o *chatOp) activate(merchant string) {
	o.t.Helper()
	code := o.tg.merchant(o.t, merchant)
	if m := o.say(code); len(m) != 1 || !strings.Contains(m[0].Plain, merchant) {
		o.t.Fatalf("activation answered %+v", m)
	}
}

// message is a text message update with a fresh update_id and message_id.
func (o *chatOp) message(text string) []byte {
	o.update++
	b, _ := json.Marshal(map[string]any{
		"update_id": o.update,
		"message": map[string]any{
			"message_id": o.fake.NextMessageID(o.chat), "date": o.tg.now().Unix(), "text": text,
			"chat": map[string]any{"id": o.chat, "type": "private", "first_name": "Оля"},
			"from": map[string]any{"id": o.chat, "is_bot": false, "first_name": "Оля", "language_code": o.lang},
		},
	})
	return b
}

// deliver posts an update as Telegram does and returns the status.
func (o *chatOp) deliver(update []byte) int {
	o.t.Helper()
	st, _ := o.tg.call(o.t, "POST", "/telegram/webhook", http.Header{
		"Content-Type":                    {"application/json"},
		"X-Telegram-Bot-Api-Secret-Token": {wTGSecret},
	}, update)
	return st
}

// say sends text, wants 200 and returns what the bot sent meanwhile.
func (o *chatOp) say(text string) []tgfake.Message {
	o.t.Helper()
	before := len(o.fake.Messages(o.chat))
	if st := o.deliver(o.message(text)); st != 200 {
		o.t.Fatalf("update %q answered %d, want 200", text, st)
	}
	return o.fake.Messages(o.chat)[before:]
}

// check has the operator create a check and returns its link and picture.
func (o *chatOp) check(amount string) (string, tgfake.Message) {
	o.t.Helper()
	msgs := o.say(amount)
	if len(msgs) != 1 || msgs[0].Photo == "" {
		o.t.Fatalf("amount %q: the bot sent %+v, want one picture", amount, msgs)
	}
	link := regexp.MustCompile(regexp.QuoteMeta(o.tg.URL) + `/p/[A-Za-z0-9_-]+`).FindString(msgs[0].Plain)
	if link == "" {
		o.t.Fatalf("no payment link in %q", msgs[0].Plain)
	}
	return link, msgs[0]
}

// told returns the bot's notices about payments, in order.
func (o *chatOp) told() []string { return notices(tgTexts(o.fake.Messages(o.chat))) }

func (o *chatOp) wantTold(want ...string) {
	o.t.Helper()
	wantTold(o.t, o.told(), want...)
}

// okCalls counts the successful Bot API calls of method.
func (o *chatOp) okCalls(method string) int { return okCalls(o.fake, method) }

// shopper is a buyer's browser on the target (e2e's buyer, without a shop).
func (tg *target) shopper(t *testing.T) *buyer {
	return testsupport.NewBuyer(t, "")
}
