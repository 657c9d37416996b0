package e2e

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	vbfake "github.com/paylastic/edge/fakes/viber"
	"github.com/paylastic/edge/internal/testsupport"
	"github.com/paylastic/edge/wasm/hosttest"
)

// vbToken is the bot's auth token: the fake API's key and the callbacks'
// signature key.
const vbToken = "e2e-viber-auth-token-0123456789abcdef"

// vbEnv is the compiled guest with Viber configured against the fake API.
type vbEnv struct {
	*hosttest.Env
	t   *testing.T
	vb  *vbfake.Server
	tok atomic.Uint64 // the last message_token used
}

// startViber starts it; o, if given, are the harness's options (its Env
// is added to).
func startViber(t *testing.T, o ...hosttest.Options) *vbEnv {
	t.Helper()
	fake := vbfake.New(vbToken)
	// As on Viber: a user who only opened the chat gets no messages until
	// they write.
	fake.RequireSubscribed = true
	api := httptest.NewServer(fake)
	t.Cleanup(api.Close)
	var opts hosttest.Options
	if len(o) > 0 {
		opts = o[0]
	}
	if opts.Env == nil {
		opts.Env = map[string]string{}
	}
	opts.Env["VIBER_AUTH_TOKEN"] = vbToken
	opts.Env["VIBER_API_URL"] = api.URL + "/pa"
	env := hosttest.Start(t, opts)
	fake.Now = env.Clock.Now
	e := &vbEnv{Env: env, t: t, vb: fake}
	e.tok.Store(vbfake.FirstMessageToken + 1<<40) // above 2^53, apart from the fake's own
	return e
}

// newMerchant registers a merchant through the admin API and returns its
// activation code.
func (e *vbEnv) newMerchant(name string) string {
	e.t.Helper()
	st, body := adminCall(e.t, e.URL, "POST", "/admin/merchants", fmt.Sprintf(`{"name":%q}`, name))
	return activationCode(e.t, st, body)
}

// deliver sends a callback as Viber does (signed with the auth token) and
// returns the status and the answer's body.
func (e *vbEnv) deliver(body []byte) (int, []byte) {
	e.t.Helper()
	resp, err := e.vb.Deliver(e.t.Context(), http.DefaultClient, e.URL+"/viber/webhook", body)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// post sends a callback with the signature header given ("" for none).
func (e *vbEnv) post(body []byte, sig string) int {
	e.t.Helper()
	return deliver(e.t, e.URL+"/viber/webhook", body, vbfake.SignatureHeader, sig)
}

// vbUser is a Viber user chatting with the bot.
type vbUser struct {
	e        *vbEnv
	id, lang string
}

func (e *vbEnv) user(id, lang string) *vbUser { return &vbUser{e: e, id: id, lang: lang} }

// message builds a text message callback from u with a fresh token, dated now.
func (u *vbUser) message(text string) []byte {
	return u.messageWith(text, u.e.tok.Add(1))
}

func (u *vbUser) messageWith(text string, token uint64) []byte {
	return vbfake.MessageCallback(u.id, "Оля", u.lang, text, token, u.e.Clock.Now(), "")
}

// open delivers conversation_started (context: a deep link's) and returns
// the welcome message the bot answered with.
func (u *vbUser) open(context string) vbfake.Message {
	u.e.t.Helper()
	before := len(u.e.vb.Messages(u.id))
	st, body := u.e.deliver(vbfake.ConversationStarted(u.id, "Оля", u.lang, context, false, u.e.tok.Add(1), u.e.Clock.Now()))
	msgs := u.e.vb.Messages(u.id)[before:]
	if st != 200 || len(msgs) != 1 || !msgs[0].Welcome {
		u.e.t.Fatalf("conversation_started = %d %s; messages %+v; want one welcome message", st, body, msgs)
	}
	return msgs[0]
}

// send delivers a callback and wants 200.
func (u *vbUser) send(body []byte) {
	u.e.t.Helper()
	if st, b := u.e.deliver(body); st != 200 {
		u.e.t.Fatalf("callback answered %d %s, want 200: %s", st, b, body)
	}
}

// say sends a text (or a button's ActionBody) and returns what the bot sent
// meanwhile.
func (u *vbUser) say(text string) []vbfake.Message {
	u.e.t.Helper()
	before := len(u.e.vb.Messages(u.id))
	u.send(u.message(text))
	return u.e.vb.Messages(u.id)[before:]
}

// vbOne wants exactly one Viber message in msgs.
var vbOne = oneOf[vbfake.Message]

// vbKeys returns a message's keyboard as ActionBody → label.
func vbKeys(t *testing.T, m vbfake.Message) map[string]string {
	t.Helper()
	var kb struct {
		Buttons []struct {
			ActionBody string `json:"ActionBody"`
			Text       string `json:"Text"`
		} `json:"Buttons"`
	}
	if err := json.Unmarshal(m.Keyboard, &kb); err != nil || len(kb.Buttons) == 0 {
		t.Fatalf("keyboard of %q: %s (%v)", m.Text, m.Keyboard, err)
	}
	out := map[string]string{}
	for _, b := range kb.Buttons {
		out[b.ActionBody] = b.Text
	}
	return out
}

// vbCancelKey is the ActionBody of the cancel key in a message's keyboard.
func vbCancelKey(t *testing.T, m vbfake.Message) string {
	t.Helper()
	for body := range vbKeys(t, m) {
		if strings.HasPrefix(body, "cancel:") {
			return body
		}
	}
	t.Fatalf("no cancel key under %q: %s", m.Text, m.Keyboard)
	return ""
}

// vbCheck has u send amount and returns the picture, the details message
// and the payment link in it.
func (u *vbUser) check(amount string) (pic, details vbfake.Message, link string) {
	u.e.t.Helper()
	msgs := u.say(amount)
	if len(msgs) != 2 || msgs[0].Type != "picture" || msgs[1].Type != "text" {
		u.e.t.Fatalf("amount %q: the bot sent %+v; want a picture and its details", amount, msgs)
	}
	pic, details = msgs[0], msgs[1]
	link = regexp.MustCompile(regexp.QuoteMeta(u.e.URL) + `/p/[A-Za-z0-9_-]+`).FindString(details.Text)
	if link == "" {
		u.e.t.Fatalf("no payment link in %q", details.Text)
	}
	return pic, details, link
}

// notices returns the notices the user got, in order.
func (u *vbUser) notices() []string {
	msgs := u.e.vb.Messages(u.id)
	texts := make([]string, len(msgs))
	for i, m := range msgs {
		texts[i] = m.Text
	}
	return notices(texts)
}

// wantNotices wants one notice each containing want, in order.
func (u *vbUser) wantNotices(want ...string) {
	u.e.t.Helper()
	wantTold(u.e.t, u.notices(), want...)
}

// okSends counts the accepted send_message calls.
func (e *vbEnv) okSends() int {
	n := 0
	for _, c := range e.vb.Calls() {
		if c.Method == "send_message" && c.HTTPStatus == 200 && c.Status == 0 {
			n++
		}
	}
	return n
}

// pictures counts the pictures sent to user.
func (e *vbEnv) pictures(user string) int {
	n := 0
	for _, m := range e.vb.Messages(user) {
		if m.Type == "picture" {
			n++
		}
	}
	return n
}

// checkIDs lists the ids of the checks in KV.
func (e *vbEnv) checkIDs() []string { return checkIDs(e.t, e.Env) }

// checkState reads a check's state record straight from KV.
func (e *vbEnv) checkState(id string) stateView { return checkState(e.t, e.Env, id) }

// fetch GETs url as Viber's media fetcher would and returns the body.
func (e *vbEnv) fetch(url string) (int, string, []byte) {
	e.t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), b
}

// newBuyer is a browser on the buyer's own phone (see buyer).
func (e *vbEnv) newBuyer() *buyer {
	return testsupport.NewBuyer(e.t, "")
}
