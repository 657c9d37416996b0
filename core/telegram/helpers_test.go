package telegram

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/paylastic/edge/core/bot/bottest"
	"github.com/paylastic/edge/core/checks"
	"github.com/paylastic/edge/core/kv"
	"github.com/paylastic/edge/core/merchant"
	tgfake "github.com/paylastic/edge/fakes/telegram"
	"github.com/paylastic/edge/internal/testsupport"
)

const (
	token  = "123456:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	secret = "webhook-secret_1"
	userID = int64(777)
)

// rig is the webhook over an in-memory store, talking to the fake Bot API.
type rig struct {
	t       testing.TB
	fake    *tgfake.Server
	api     *httptest.Server
	conv    *bottest.Conv
	kv      *kv.Counting
	hook    *Webhook
	svc     *checks.Service
	m       merchant.Merchant
	code    string
	logs    *testsupport.LogBuf
	updates int
	now     time.Time
}

func newRig(t testing.TB) *rig {
	t.Helper()
	r := &rig{t: t, fake: tgfake.New(token), logs: &testsupport.LogBuf{}, now: testsupport.T0}
	r.fake.SetClock(func() time.Time { return r.now })
	r.api = httptest.NewServer(r.fake)
	t.Cleanup(r.api.Close)
	clock := func() time.Time { return r.now }
	log := r.logs.Logger()
	client := &Client{Token: token, APIURL: r.api.URL, HTTP: r.api.Client()}
	c := bottest.New(t, clock, 3, Messenger, client, log)
	r.conv, r.kv, r.svc, r.m, r.code = c, c.KV, c.Checks, c.Merchant, c.Code
	r.hook = &Webhook{Secret: secret, Client: client, Bot: c.Bot, Now: clock, Log: log}
	return r
}

// post delivers a raw update with the secret header value given.
func (r *rig) post(header, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest("POST", "/telegram/webhook", strings.NewReader(body))
	if header != "" {
		req.Header.Set(SecretHeader, header)
	}
	rec := httptest.NewRecorder()
	// a fresh handler per request, like a Worker's fresh instance
	h := *r.hook
	c := *r.hook.Client
	c.api = nil
	h.Client = &c
	h.ServeHTTP(rec, req)
	return rec
}

// message builds a private-chat text message update from the user.
func (r *rig) message(text, lang string) string {
	r.updates++
	msgID := r.fake.NextMessageID(userID)
	return fmt.Sprintf(`{"update_id":%d,"message":{"message_id":%d,"from":{"id":%d,"is_bot":false,"first_name":"Оля","language_code":%q},"chat":{"id":%d,"type":"private","first_name":"Оля"},"date":%d,"text":%s}}`,
		1000+r.updates, msgID, userID, lang, userID, r.now.Unix(), jsonString(text))
}

// callback builds a callback query update for a button under message msgID.
func (r *rig) callback(data string, msgID int, lang string) string {
	r.updates++
	return fmt.Sprintf(`{"update_id":%d,"callback_query":{"id":"q%d","from":{"id":%d,"is_bot":false,"first_name":"Оля","language_code":%q},"message":{"message_id":%d,"date":%d,"chat":{"id":%d,"type":"private"},"photo":[{"file_id":"f","file_unique_id":"u","width":512,"height":512}],"caption":"x"},"chat_instance":"ci","data":%s}}`,
		1000+r.updates, r.updates, userID, lang, msgID, r.now.Unix(), userID, jsonString(data))
}

func jsonString(s string) string { b, _ := json.Marshal(s); return string(b) }

// send posts an update with the right secret and wants status.
func (r *rig) send(body string, want int) {
	r.t.Helper()
	if rec := r.post(secret, body); rec.Code != want {
		r.t.Fatalf("POST update = %d %s; want %d\nupdate: %s\nlogs:\n%s", rec.Code, rec.Body, want, body, r.logs)
	}
}

// last returns the last message the bot sent to the user.
func (r *rig) last() tgfake.Message {
	r.t.Helper()
	msgs := r.fake.Messages(userID)
	if len(msgs) == 0 {
		r.t.Fatal("the bot sent nothing")
	}
	return msgs[len(msgs)-1]
}

func (r *rig) byID(id int) tgfake.Message {
	r.t.Helper()
	for _, m := range r.fake.Messages(userID) {
		if m.ID == id {
			return m
		}
	}
	r.t.Fatalf("no message %d", id)
	return tgfake.Message{}
}

func (r *rig) calls(method string) []tgfake.Call { return r.fake.CallsOf(method) }

// activate binds the user to the merchant.
func (r *rig) activate(lang string) {
	r.t.Helper()
	r.send(r.message(r.code, lang), 200)
}
