package viber

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/paylastic/edge/core/bot"
	"github.com/paylastic/edge/core/bot/bottest"
	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/checks"
	"github.com/paylastic/edge/core/kv"
	"github.com/paylastic/edge/core/merchant"
	vbfake "github.com/paylastic/edge/fakes/viber"
	"github.com/paylastic/edge/internal/testsupport"
)

const (
	token  = "4453b6ac12345678-e02c5f12174805f9-daec4ef6a3bee0ff"
	userID = "iu7u0ekVY01115lOIg=="
	// firstToken is above 2^53, like Viber's message tokens.
	firstToken uint64 = 4912661846655238145
)

// testsupport.T0 is 12:00 in Kyiv.

// rig is the webhook over an in-memory store, talking to the fake Viber API.
type rig struct {
	t      testing.TB
	fake   *vbfake.Server
	api    *httptest.Server
	conv   *bottest.Conv
	kv     *kv.Counting
	hook   *Webhook
	svc    *checks.Service
	signer check.Signer
	m      merchant.Merchant
	code   string
	logs   *testsupport.LogBuf
	tok    uint64
	now    time.Time
}

func newRig(t testing.TB) *rig {
	t.Helper()
	r := &rig{t: t, fake: vbfake.New(token), logs: &testsupport.LogBuf{}, now: testsupport.T0, tok: firstToken}
	clock := func() time.Time { return r.now }
	r.fake.Now = clock
	r.api = httptest.NewServer(r.fake)
	t.Cleanup(r.api.Close)
	log := r.logs.Logger()
	client := &Client{Token: token, APIURL: r.api.URL + "/pa", HTTP: r.api.Client(), Log: log}
	c := bottest.New(t, clock, 5, Messenger, client, log)
	r.conv, r.kv, r.svc, r.signer, r.m, r.code = c, c.KV, c.Checks, c.Signer, c.Merchant, c.Code
	r.hook = &Webhook{Token: token, Client: client, Bot: c.Bot, Now: clock, Log: log}
	return r
}

// post delivers a raw callback body with the signature header given ("" for none).
func (r *rig) post(sig string, body []byte) *httptest.ResponseRecorder {
	req := httptest.NewRequest("POST", WebhookPath, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if sig != "" {
		req.Header.Set(SignatureHeader, sig)
	}
	rec := httptest.NewRecorder()
	h := *r.hook // a fresh handler per request, like a Worker's fresh instance
	h.ServeHTTP(rec, req)
	return rec
}

// send posts a correctly signed body and wants status.
func (r *rig) send(body []byte, want int) *httptest.ResponseRecorder {
	r.t.Helper()
	rec := r.post(vbfake.Sign(token, body), body)
	if rec.Code != want {
		r.t.Fatalf("POST callback = %d %s; want %d\ncallback: %s\nlogs:\n%s", rec.Code, rec.Body, want, body, r.logs)
	}
	return rec
}

func (r *rig) nextToken() uint64 { r.tok++; return r.tok }

// message builds a text message callback from the user.
func (r *rig) message(text, lang string) []byte {
	return vbfake.MessageCallback(userID, "Оля", lang, text, r.nextToken(), r.now, "")
}

// started builds a conversation_started callback.
func (r *rig) started(lang, context string) []byte {
	return vbfake.ConversationStarted(userID, "Оля", lang, context, false, r.nextToken(), r.now)
}

// sent returns the messages the bot sent to the user with send_message.
func (r *rig) sent() []vbfake.Message { return r.fake.Messages(userID) }

// last returns the last message the bot sent to the user.
func (r *rig) last() vbfake.Message {
	r.t.Helper()
	msgs := r.sent()
	if len(msgs) == 0 {
		r.t.Fatal("the bot sent nothing")
	}
	return msgs[len(msgs)-1]
}

// calls returns the API calls of method ("" for all).
func (r *rig) calls(method string) []vbfake.Call { return r.fake.CallsOf(method) }

// activate binds the user to the merchant.
func (r *rig) activate(lang string) {
	r.t.Helper()
	r.send(r.message(r.code, lang), 200)
}

// buttons returns the keyboard of a message as ActionBody → Text.
func buttons(t testing.TB, raw json.RawMessage) map[string]string {
	t.Helper()
	var kb Keyboard
	if err := json.Unmarshal(raw, &kb); err != nil {
		t.Fatalf("keyboard %s: %v", raw, err)
	}
	out := map[string]string{}
	for _, b := range kb.Buttons {
		out[b.ActionBody] = b.Text
	}
	return out
}

// cancelBody is the ActionBody of the cancel key in a message's keyboard.
func cancelBody(t testing.TB, m vbfake.Message) string {
	t.Helper()
	for body := range buttons(t, m.Keyboard) {
		if strings.HasPrefix(body, bot.CancelPrefix) {
			return body
		}
	}
	t.Fatalf("no cancel key in %s", m.Keyboard)
	return ""
}

// indent pretty-prints a JSON body for golden files.
func indent(t testing.TB, raw []byte) string {
	t.Helper()
	var b bytes.Buffer
	if err := json.Indent(&b, raw, "", "  "); err != nil {
		t.Fatalf("indent %s: %v", raw, err)
	}
	return b.String()
}

// transcript records the wire payloads of a scenario: what the user did,
// then each API call and the webhook's answer body, for golden files.
type transcript struct {
	r     *rig
	b     strings.Builder
	calls int
}

func (r *rig) transcript() *transcript { return &transcript{r: r, calls: len(r.fake.Calls())} }

// do sends a signed callback, wants 200, and writes down what went out.
func (tr *transcript) do(what string, body []byte) *httptest.ResponseRecorder {
	tr.r.t.Helper()
	rec := tr.r.send(body, http.StatusOK)
	tr.b.WriteString(">>> " + what + "\n")
	if rec.Body.Len() > 0 {
		tr.b.WriteString("answer " + rec.Header().Get("Content-Type") + "\n" + indent(tr.r.t, rec.Body.Bytes()) + "\n")
	}
	calls := tr.r.fake.Calls()
	for _, c := range calls[tr.calls:] {
		tr.b.WriteString("POST " + c.Method + "\n" + indent(tr.r.t, c.Request) + "\n")
	}
	tr.calls = len(calls)
	tr.b.WriteString("\n")
	return rec
}

// recording is a Viber chat that also records the bot's replies.
type recording struct {
	*chat
	got *[]bot.Reply
}

func (r recording) Send(ctx context.Context, rep bot.Reply) error {
	*r.got = append(*r.got, rep)
	return r.chat.Send(ctx, rep)
}

var (
	errNetwork = errors.New("connection reset")
	errKV      = errors.New("kv down")
)

// failing is a KV store whose reads fail.
type failing struct{ kv.Store }

func (failing) Get(context.Context, string) ([]byte, error) { return nil, errKV }
