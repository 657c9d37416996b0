// Package devconsole is the local development console of the harness: a
// page at /dev that plays the operator's messenger. It posts real Telegram
// updates and signed Viber callbacks to the product's webhooks and shows
// what the bot did as a Telegram or Viber client would, in order: messages,
// edits, toasts (answers to button presses) and the keyboard, read from the
// fake Telegram and Viber APIs the harness serves under /_fake/. It exists
// only in the harness (never in the Worker).
package devconsole

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"

	tgfake "github.com/paylastic/edge/fakes/telegram"
	viberfake "github.com/paylastic/edge/fakes/viber"
)

// Fake credentials the harness gives the product when no real ones are set.
const (
	FakeTelegramToken = "1000000001:DEV-CONSOLE-fake-token-000000000000"
	FakeViberToken    = "dev-console-fake-viber-token"
	// ChatID is the console operator's Telegram chat and user id; ViberUser
	// is the console operator's Viber user id.
	ChatID    int64 = 380000001
	ViberUser       = "dev-console-user=="
)

// Console serves /dev and the fakes under /_fake/.
type Console struct {
	Product  http.Handler // the harness: the product's routes
	BaseURL  string       // PUBLIC_BASE_URL
	Env      map[string]string
	Telegram *tgfake.Server
	Viber    *viberfake.Server
	Log      *slog.Logger

	demoMu   sync.Mutex // one «Demo merchant» at a time
	mu       sync.Mutex
	updateID int64
	user     map[string][]userMessage // what the console operator sent, by messenger
}

type userMessage struct {
	ID    int // Telegram's message_id
	order uint64
	Time  time.Time
	Text  string
}

// New makes a console for the product h with environment env (it reads the
// tokens, the webhook secret and ADMIN_TOKEN from it).
func New(h http.Handler, env map[string]string, log *slog.Logger) *Console {
	c := &Console{
		Product:  h,
		BaseURL:  strings.TrimRight(env["PUBLIC_BASE_URL"], "/"),
		Env:      env,
		Telegram: tgfake.New(env["TELEGRAM_BOT_TOKEN"]),
		Viber:    viberfake.New(env["VIBER_AUTH_TOKEN"]),
		Log:      log,
		updateID: time.Now().Unix() % 1_000_000 * 1000,
		user:     map[string][]userMessage{},
	}
	c.Viber.MaxUnanswered = 0
	return c
}

// FakeEnv returns the variables that point the product at the console's
// fakes, for those the developer did not set.
func FakeEnv(base string) map[string]string {
	return map[string]string{
		"TELEGRAM_BOT_TOKEN": FakeTelegramToken,
		"TELEGRAM_API_URL":   base + "/_fake/telegram",
		"VIBER_AUTH_TOKEN":   FakeViberToken,
		"VIBER_API_URL":      base + "/_fake/viber/pa",
	}
}

// Handler routes /dev and /_fake/ to the console and everything else to the product.
func (c *Console) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/_fake/telegram/", http.StripPrefix("/_fake/telegram", c.Telegram))
	mux.Handle("/_fake/viber/", http.StripPrefix("/_fake/viber", c.Viber))
	mux.HandleFunc("GET /dev", c.page)
	mux.HandleFunc("GET /dev/", c.page)
	mux.HandleFunc("GET /dev/api/chat", c.chat)
	mux.HandleFunc("POST /dev/api/send", c.send)
	mux.HandleFunc("POST /dev/api/press", c.press)
	mux.HandleFunc("POST /dev/api/demo", c.demo)
	mux.HandleFunc("GET /dev/api/photo/{id}", c.photo)
	mux.Handle("/", c.Product)
	return mux
}

//go:embed console.html
var pageHTML []byte

func (c *Console) page(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(pageHTML)
}

// transport delivers requests to the product in process, so the console
// works whatever PUBLIC_BASE_URL says (a tunnel, another port).
type transport struct{ h http.Handler }

func (t transport) RoundTrip(r *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, r)
	return rec.Result(), nil
}

func (c *Console) client() *http.Client { return &http.Client{Transport: transport{c.Product}} }

// post sends body to the product's path with headers and returns status and body.
func (c *Console) post(ctx context.Context, path string, body []byte, header map[string]string) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, "POST", c.BaseURL+path, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := c.client().Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b, nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func fail(w http.ResponseWriter, status int, format string, args ...any) {
	writeJSON(w, status, map[string]string{"error": fmt.Sprintf(format, args...)})
}
