package reliability

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/paylastic/edge/core/cas"
	"github.com/paylastic/edge/core/check"
	fakemono "github.com/paylastic/edge/fakes/monobank"
	tgfake "github.com/paylastic/edge/fakes/telegram"
	"github.com/paylastic/edge/wasm/hosttest"
)

// What the shop's merchant, operator and bank are (as in e2e's helpers).
const (
	tgToken   = "123456:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	tgSecret  = "reliability-webhook-secret"
	chat      = int64(4242)
	monoToken = "uXvE2eTokenAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	monoCreds = `{"provider":"monobank","credentials":{"token":"` + monoToken + `"}}`

	// senderTries is how often the suite, like Telegram, delivers an
	// update that was answered 5xx (or not at all) before it gives up.
	senderTries    = 30
	redeliverAfter = 5 * time.Second
	kvLag          = time.Minute
)

// shop is the compiled guest on the harness with a merchant at the fake
// monobank and its operator on the fake Telegram, with KV lag between
// locations and switchable faults.
type shop struct {
	t    testing.TB
	env  *hosttest.Env
	tg   *tgfake.Server
	mono *fakemono.Server
	// the faults of the guest's KV, SQL and outbound requests, by kind
	kvF, sqlF, outF *hosttest.Faults
	hooks           *hookLog
	logs            *logTap
	update, msg     atomic.Int64
	requests        atomic.Int64 // requests the suite made to the guest
	redelivered     atomic.Int64 // updates delivered again after a 5xx or no answer
}

// newShop starts a shop whose faults are seeded with seed.
func newShop(t testing.TB, seed uint64) *shop {
	t.Helper()
	s := &shop{
		t:     t,
		tg:    tgfake.New(tgToken),
		mono:  fakemono.New(monoToken),
		kvF:   hosttest.NewFaults(seed*3 + 1),
		sqlF:  hosttest.NewFaults(seed*3 + 2),
		outF:  hosttest.NewFaults(seed*3 + 3),
		hooks: &hookLog{},
		logs:  &logTap{},
	}
	s.msg.Store(1000)
	tgSrv := httptest.NewServer(s.tg)
	t.Cleanup(tgSrv.Close)
	s.mono.Now = func() time.Time { return s.env.Clock.Now() } // set before the fake serves
	s.mono.Client = &http.Client{Transport: s.hooks, Timeout: time.Minute}
	monoSrv := httptest.NewServer(s.mono)
	t.Cleanup(monoSrv.Close)
	s.env = hosttest.Start(t, hosttest.Options{
		Lag:       kvLag,
		KVFaults:  s.kvF,
		SQLFaults: s.sqlF,
		Log:       s.logs,
		Env: map[string]string{
			"TELEGRAM_BOT_TOKEN":      tgToken,
			"TELEGRAM_WEBHOOK_SECRET": tgSecret,
			"TELEGRAM_API_URL":        tgSrv.URL,
			"MONOBANK_API_URL":        monoSrv.URL,
		},
	})
	s.tg.SetClock(s.env.Clock.Now)
	s.env.Outbound.Drop(s.outF.Drop)

	status, body := s.admin("POST", "/admin/merchants", `{"name":"Кавʼярня «Ранок»","max_amount":"5000"}`)
	var m struct {
		ID   string `json:"id"`
		Code string `json:"activation_code"`
	}
	if err := json.Unmarshal([]byte(body), &m); err != nil || status != http.StatusCreated || m.Code == "" {
		t.Fatalf("create merchant: %d %s", status, body)
	}
	s.settleKV()
	if st := s.say(m.Code); st != http.StatusOK {
		t.Fatalf("activation answered %d", st)
	}
	s.settleKV()
	items, err := s.env.States.List(context.Background(), "m:", "", cas.MaxList)
	if err != nil || len(items) != 1 {
		t.Fatalf("merchants in the store: %v, %v; want one", items, err)
	}
	id := strings.TrimPrefix(items[0].Key, "m:")
	if status, body := s.admin("PUT", "/admin/merchants/"+id+"/provider", monoCreds); status != http.StatusOK {
		t.Fatalf("switch to monobank: %d %s", status, body)
	}
	s.settleKV()
	return s
}

// setFaults sets the rate and latency of every kind of fault.
func (s *shop) setFaults(rate float64, latency time.Duration) {
	for _, f := range []*hosttest.Faults{s.kvF, s.sqlF, s.outF} {
		f.Set(rate, latency)
	}
}

// settleKV lets every KV write reach every location.
func (s *shop) settleKV() { s.env.Clock.Advance(kvLag + time.Second) }

func (s *shop) admin(method, path, body string) (int, string) {
	s.t.Helper()
	req, _ := http.NewRequest(method, s.env.URL+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+hosttest.AdminToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// say sends the operator's text message and returns the final answer.
func (s *shop) say(text string) int {
	return s.deliver(map[string]any{
		"update_id": s.update.Add(1),
		"message": map[string]any{
			"message_id": s.msg.Add(1), "date": s.env.Clock.Now().Unix(), "text": text,
			"chat": map[string]any{"id": chat, "type": "private", "first_name": "Оля"},
			"from": map[string]any{"id": chat, "is_bot": false, "first_name": "Оля", "language_code": "uk"},
		},
	})
}

// press sends the operator's press of an inline button under m; the
// answer and the id of the callback query (its toast's QueryID).
// noButton is press's answer when the button is no longer under the
// message: the operator cannot press it.
const noButton = -1

func (s *shop) press(m tgfake.Message, data string) (int, string) {
	// the fake issues the query, as Telegram does, so that it keeps the
	// bot's answer (the toast the operator sees)
	raw, err := s.tg.PressButton(chat, m.ID, tgfake.User{ID: chat, FirstName: "Оля", LanguageCode: "uk"}, data)
	if errors.Is(err, tgfake.ErrNoButton) {
		return noButton, "" // gone from the message (the check was paid, say): nothing to press
	}
	if err != nil {
		return 0, ""
	}
	var cq struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal(raw, &cq)
	return s.deliver(map[string]any{"update_id": s.update.Add(1), "callback_query": raw}), cq.ID
}

// toast is the text of the answer to callback query id ("" if none came).
func (s *shop) toast(id string) string {
	for _, t := range s.tg.Toasts(chat) {
		if t.QueryID == id {
			return t.Text
		}
	}
	return ""
}

// deliver posts an update as Telegram does: again, the same update, while
// it is answered 5xx or not at all. It returns the last answer (0: none).
func (s *shop) deliver(update map[string]any) int {
	body, _ := json.Marshal(update)
	status := 0
	for range senderTries {
		req, _ := http.NewRequest("POST", s.env.URL+"/telegram/webhook", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", tgSecret)
		status = s.do(req)
		if status != 0 && status < 500 {
			return status
		}
		s.redelivered.Add(1)
		// Telegram waits before it delivers again; meanwhile the claim
		// of a request that failed half-way lapses (bot.UpdateLease)
		s.env.Clock.Advance(redeliverAfter)
	}
	return status
}

// do sends a request to the guest and returns its status (0: no answer).
func (s *shop) do(req *http.Request) int {
	s.requests.Add(1)
	resp, err := noRedirects.Do(req)
	if err != nil {
		return 0
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

var noRedirects = &http.Client{
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	Timeout:       2 * time.Minute,
}

// messages are the bot's messages to the operator that contain part.
func (s *shop) messages(part string) []tgfake.Message {
	var out []tgfake.Message
	for _, m := range s.tg.Messages(chat) {
		if strings.Contains(m.Plain, part) {
			out = append(out, m)
		}
	}
	return out
}

// inlineData is the callback data of m's inline button that starts with
// prefix ("" if none).
func inlineData(m tgfake.Message, prefix string) string {
	d, _ := m.InlineButton(prefix)
	return d
}

// state reads a check's state straight from the consistent store, past the
// faults; ok is false while it has none.
func (s *shop) state(id string) (st check.State, ok bool, err error) {
	rec, err := s.env.States.Get(hosttest.WithoutFaults(context.Background()), "s:"+id)
	if err != nil {
		if err == cas.ErrNotFound || strings.Contains(err.Error(), "not found") {
			return check.NewState(), false, nil
		}
		return st, false, err
	}
	err = json.Unmarshal(rec.Value, &st)
	return st, true, err
}

// hookLog is the fake bank's transport for its webhooks: it records every
// answer, by check (the ?ref= of the webhook's URL).
type hookLog struct {
	mu      sync.Mutex
	answers map[string][]int // by ref: the statuses, 0 for no answer
}

func (h *hookLog) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(r)
	status := 0
	if err == nil {
		status = resp.StatusCode
	}
	h.mu.Lock()
	if h.answers == nil {
		h.answers = map[string][]int{}
	}
	ref := r.URL.Query().Get("ref")
	h.answers[ref] = append(h.answers[ref], status)
	h.mu.Unlock()
	return resp, err
}

// of returns the answers to the webhooks of the check with ref.
func (h *hookLog) of(ref string) []int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]int(nil), h.answers[ref]...)
}

// logTap keeps the guest's log lines that say a notice went out but its
// delivery could not be recorded: the one way, besides a lost answer, that
// the product may tell the operator twice (checks.deliver, Sweep's retry).
type logTap struct {
	mu      sync.Mutex
	partial []byte
	lines   []string
}

func (l *logTap) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.partial = append(l.partial, p...)
	for {
		i := bytes.IndexByte(l.partial, '\n')
		if i < 0 {
			break
		}
		line := string(l.partial[:i])
		l.partial = l.partial[i+1:]
		if strings.Contains(line, "not recorded") || strings.Contains(line, "record notices") {
			l.lines = append(l.lines, line)
		}
		if os.Getenv("PAYLASTIC_TEST_LOG") == "1" {
			fmt.Fprintln(os.Stderr, line)
		}
	}
	return len(p), nil
}

// unrecorded is the number of such lines about check id.
func (l *logTap) unrecorded(id string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, line := range l.lines {
		if strings.Contains(line, id) {
			n++
		}
	}
	return n
}
