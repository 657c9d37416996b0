//go:build workerbench

package bench

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paylastic/edge/core/bank"
	"github.com/paylastic/edge/core/bank/sandbox"
	"github.com/paylastic/edge/core/check"
	tgfake "github.com/paylastic/edge/fakes/telegram"
	vbfake "github.com/paylastic/edge/fakes/viber"
	"github.com/paylastic/edge/internal/testsupport"
	"github.com/paylastic/edge/worker/workertest"
)

const (
	tgToken  = "123456:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	tgSecret = "bench-webhook-secret"
	vbToken  = "bench-viber-auth-token-0123456789abcdef"
)

// shop is the product in workerd with one merchant, cashiers on Telegram
// (opChat makes checks, listChat asks «Мої чеки» of its five checks) and
// on Viber, and fake Telegram and Viber APIs.
type shop struct {
	env      *workertest.Env
	tgFake   *tgfake.Server
	vbFake   *vbfake.Server
	opChat   int64
	listChat int64
	vbUser   string
	link     string // a check's payment page

	mu     sync.Mutex
	update int64
	token  uint64
}

func newShop(t *testing.T, app map[string][]byte, name string) *shop {
	t.Helper()
	s := &shop{opChat: 4242, listChat: 4343, vbUser: "benchViberUser==", update: 1_000_000, token: vbfake.FirstMessageToken + 1<<40}
	s.env = launch(t, workertest.Options{Files: app, Env: map[string]string{
		"TELEGRAM_BOT_TOKEN":      tgToken,
		"TELEGRAM_WEBHOOK_SECRET": tgSecret,
		"VIBER_AUTH_TOKEN":        vbToken,
		"PAYLASTIC_TEST_HOOKS":    "0",
		"BENCH_IO":                "1",
	}})
	s.tgFake, s.vbFake = tgfake.New(tgToken), vbfake.New(vbToken)
	s.env.Outbound.Handle("telegram", s.tgFake)
	s.env.Outbound.Handle("viber", s.vbFake)
	id, code := s.merchant(t, "Кавʼярня Ранок "+name)
	s.tg(t, s.opChat, code)
	s.tg(t, s.listChat, s.code(t, id))
	s.vb(t, s.code(t, id))
	for range 5 {
		s.tg(t, s.listChat, "7")
	}
	s.link = s.lastLink(t, s.opChat, s.tg(t, s.opChat, "12,50"))
	return s
}

func (s *shop) merchant(t *testing.T, name string) (id, code string) {
	t.Helper()
	st, body := s.admin(t, "/admin/merchants", fmt.Sprintf(`{"name":%q}`, name))
	code, id = testsupport.ActivationCode(t, st, body)
	return id, code
}

func (s *shop) code(t *testing.T, merchant string) string {
	t.Helper()
	st, body := s.admin(t, "/admin/merchants/"+merchant+"/activation-codes", "")
	code, _ := testsupport.ActivationCode(t, st, body)
	return code
}

// admin POSTs body to the admin API at path.
func (s *shop) admin(t *testing.T, path, body string) (int, string) {
	t.Helper()
	return testsupport.AdminCall(t, s.env.URL, workertest.AdminToken, "POST", path, body)
}

// tgReq is a Telegram text message update from chat.
func (s *shop) tgReq(chat int64, text string) *http.Request {
	s.mu.Lock()
	s.update++
	u := s.update
	s.mu.Unlock()
	b, _ := json.Marshal(map[string]any{"update_id": u, "message": map[string]any{
		"message_id": s.tgFake.NextMessageID(chat), "date": time.Now().Unix(), "text": text,
		"chat": map[string]any{"id": chat, "type": "private", "first_name": "Оля"},
		"from": map[string]any{"id": chat, "is_bot": false, "first_name": "Оля", "language_code": "uk"},
	}})
	r, _ := http.NewRequest("POST", s.env.URL+"/telegram/webhook", bytes.NewReader(b))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("X-Telegram-Bot-Api-Secret-Token", tgSecret)
	return r
}

// tg sends a message and returns how many messages the chat had before.
func (s *shop) tg(t *testing.T, chat int64, text string) int {
	t.Helper()
	before := len(s.tgFake.Messages(chat))
	send(t, s.tgReq(chat, text), 200)
	return before
}

var linkRE = regexp.MustCompile(`https?://\S+/p/[A-Za-z0-9_-]+`)

// lastLink is the payment link of the first message after the first before.
func (s *shop) lastLink(t *testing.T, chat int64, before int) string {
	t.Helper()
	msgs := s.tgFake.Messages(chat)
	for _, m := range msgs[before:] {
		if l := linkRE.FindString(m.Plain); l != "" {
			return l
		}
	}
	t.Fatalf("no payment link after message %d of %+v", before, msgs)
	return ""
}

func (s *shop) vbReq(text string) *http.Request {
	s.mu.Lock()
	s.token++
	tok := s.token
	s.mu.Unlock()
	body := vbfake.MessageCallback(s.vbUser, "Ann", "uk", text, tok, time.Now(), "")
	s.vbFake.Observe(body) // the user wrote: Viber's unanswered-messages limit starts again
	r, _ := http.NewRequest("POST", s.env.URL+"/viber/webhook", bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set(vbfake.SignatureHeader, vbfake.Sign(vbToken, body))
	return r
}

func (s *shop) vb(t *testing.T, text string) { t.Helper(); send(t, s.vbReq(text), 200) }

// checkList is a supply of fresh checks, one per request of a workload.
type checkList struct {
	mu    sync.Mutex
	links []string
}

// checks makes n checks of 12,50 грн from a chat of their own.
func (s *shop) checks(t *testing.T, n int) *checkList {
	t.Helper()
	chat := int64(5000 + len(s.tgFake.Chats()))
	_, code := s.merchant(t, "Кавʼярня Перша")
	s.tg(t, chat, code)
	l := &checkList{}
	for range n {
		l.links = append(l.links, s.lastLink(t, chat, s.tg(t, chat, "12,50")))
	}
	return l
}

// next is a fresh check's «Оплатити» address (POST).
func (l *checkList) next() string { return l.take() + "/pay" }

// nextToken is a fresh check's signed token.
func (l *checkList) nextToken() string {
	link := l.take()
	return link[strings.LastIndex(link, "/")+1:]
}

func (l *checkList) take() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.links) == 0 {
		panic("bench: out of checks")
	}
	link := l.links[0]
	l.links = l.links[1:]
	return link
}

// sandboxPaid is the sandbox bank's signed "success" callback for the first
// attempt at the check of token, as the sandbox itself would post it.
func (s *shop) sandboxPaid(token string) *http.Request {
	signer := check.NewSigner(workertest.LinkSecret)
	ref, err := signer.Decode(token)
	if err != nil {
		panic(err)
	}
	sb := sandbox.New(bank.Env{Signer: signer, Log: testsupport.Discard()})
	body, _ := json.Marshal(map[string]any{
		"event_id": fmt.Sprint(time.Now().UnixNano()), "payment_id": sb.PaymentID(ref.ID, 1), "order_id": token,
		"status": "success", "amount": int64(ref.Amount), "currency": "UAH", "card_last4": "4242",
		"modified": time.Now().UTC(), "timestamp": time.Now().Unix(),
	})
	r, _ := http.NewRequest("POST", s.env.URL+"/bank/sandbox/callback?ref="+url.QueryEscape(token), bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set(sandbox.SignatureHeader, sandbox.Sign(sandbox.CallbackKey(signer), body))
	return r
}
