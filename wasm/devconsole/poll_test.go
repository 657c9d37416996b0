package devconsole

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	tgfake "github.com/paylastic/edge/fakes/telegram"
)

// TestPoll: long polling removes the webhook, feeds each update to the
// product's webhook route with the secret, and offers an update the product
// failed (5xx) again instead of skipping it.
func TestPoll(t *testing.T) {
	const token = "123456:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	tg := tgfake.New(token)
	srv := httptest.NewServer(tg)
	defer srv.Close()

	var mu sync.Mutex
	var got []int64
	fails := 1
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	product := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/telegram/webhook" || r.Header.Get("X-Telegram-Bot-Api-Secret-Token") != "s3cret" {
			t.Errorf("product got %s %s with secret %q", r.Method, r.URL.Path, r.Header.Get("X-Telegram-Bot-Api-Secret-Token"))
		}
		var u struct {
			UpdateID int64 `json:"update_id"`
		}
		b, _ := io.ReadAll(r.Body)
		_ = json.Unmarshal(b, &u)
		mu.Lock()
		defer mu.Unlock()
		got = append(got, u.UpdateID)
		if u.UpdateID == 2 && fails > 0 {
			fails--
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		if len(got) >= 4 {
			cancel()
		}
	})
	for _, id := range []int64{1, 2, 3} {
		if _, err := tg.Enqueue(json.RawMessage(`{"update_id":` + string(rune('0'+id)) + `,"message":{"message_id":1,"date":1,"chat":{"id":1,"type":"private"},"text":"hi"}}`)); err != nil {
			t.Fatal(err)
		}
	}
	if err := Poll(ctx, srv.URL, token, "s3cret", product, "http://localhost:8787", slog.New(slog.DiscardHandler)); err != nil {
		t.Fatalf("Poll: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	want := []int64{1, 2, 2, 3} // 2 failed once and came again; nothing was skipped
	if len(got) != len(want) {
		t.Fatalf("updates fed %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("updates fed %v, want %v", got, want)
		}
	}
	deleted := false
	for _, c := range tg.Calls() {
		deleted = deleted || c.Method == "deleteWebhook"
	}
	if !deleted {
		t.Error("Poll did not remove the webhook first (getUpdates is refused while one is set)")
	}
}

// TestPollErrorsHideTheToken: a network error quotes the request URL, which
// holds the bot token; what Poll returns or logs must not.
func TestPollErrorsHideTheToken(t *testing.T) {
	const token = "123456:AAHsecretTOKENsecretTOKENsecretTOK"
	var logs strings.Builder
	err := Poll(context.Background(), "http://127.0.0.1:1", token, "s", http.NotFoundHandler(), "http://x", slog.New(slog.NewTextHandler(&logs, nil)))
	if err == nil {
		t.Fatal("Poll against a closed port succeeded")
	}
	if strings.Contains(err.Error()+logs.String(), "AAHsecret") {
		t.Fatalf("the token leaked: %v\n%s", err, logs.String())
	}
}

// TestPollAPIURL: with TELEGRAM_API_URL unset (the usual case with a real
// bot, `make run RUN_FLAGS=-telegram-poll`), Poll calls Telegram's own API,
// not a URL without a scheme. The transport records the URL and answers
// itself: nothing leaves the machine.
func TestPollAPIURL(t *testing.T) {
	const token = "123456:AAHsecretTOKENsecretTOKENsecretTOK"
	tests := []struct {
		name, apiURL, want string
	}{
		{"unset: Telegram's own", "", "https://api.telegram.org/bot" + token + "/deleteWebhook"},
		{"trailing slash", "https://api.telegram.org/", "https://api.telegram.org/bot" + token + "/deleteWebhook"},
		{"a fake", "http://127.0.0.1:9/_fake/telegram", "http://127.0.0.1:9/_fake/telegram/bot" + token + "/deleteWebhook"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			client := &http.Client{Transport: roundTrip(func(r *http.Request) (*http.Response, error) {
				got = append(got, r.URL.String())
				return &http.Response{StatusCode: 200, Header: http.Header{}, Request: r,
					Body: io.NopCloser(strings.NewReader(`{"ok":false,"description":"stopped by the test"}`))}, nil
			})}
			err := poll(context.Background(), client, tt.apiURL, token, "s", http.NotFoundHandler(), "http://x", slog.New(slog.DiscardHandler))
			if err == nil || !strings.Contains(err.Error(), "stopped by the test") {
				t.Fatalf("poll = %v; want the test's refusal of deleteWebhook", err)
			}
			if len(got) != 1 || got[0] != tt.want {
				t.Fatalf("poll called %q; want [%q]", got, tt.want)
			}
		})
	}
}

type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
