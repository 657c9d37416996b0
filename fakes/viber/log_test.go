package viber

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// serve calls s directly, for tests that make many calls.
func serve(s *Server, method, body string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodPost, "/pa/"+method, strings.NewReader(body))
	r.Header.Set(AuthHeader, testToken)
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	return w
}

func TestWaitMessages(t *testing.T) {
	f := newFake(t)
	go func() {
		time.Sleep(20 * time.Millisecond)
		for _, text := range []string{"one", "two"} {
			serve(f.Server, "send_message", textBody("u1", text))
		}
	}()
	msgs, err := f.WaitMessages("u1", 2, 5*time.Second)
	if err != nil || len(msgs) != 2 || msgs[0].Text != "one" || msgs[1].Text != "two" {
		t.Errorf("WaitMessages: got %+v, %v, want [one two]", msgs, err)
	}
	msgs, err = f.WaitMessages("u1", 3, 30*time.Millisecond)
	if !errors.Is(err, ErrTimeout) || len(msgs) != 2 {
		t.Errorf("WaitMessages(3): got %d messages, %v, want 2 and ErrTimeout", len(msgs), err)
	}
}

func TestBounds(t *testing.T) {
	s := New(testToken)
	s.MaxUnanswered = 0
	const extra = 5
	for range MaxMessagesPerChat + extra {
		serve(s, "send_message", textBody("u1", "x"))
	}
	for range MaxCalls - MaxMessagesPerChat {
		serve(s, "get_account_info", `{}`)
	}
	msgs := s.Messages("u1")
	if len(msgs) != MaxMessagesPerChat || msgs[0].Token != FirstMessageToken+extra {
		t.Errorf("Messages: got %d starting at %d, want %d starting at %d", len(msgs), msgs[0].Token, MaxMessagesPerChat, FirstMessageToken+extra)
	}
	calls := s.Calls()
	if len(calls) != MaxCalls || calls[0].Method != "send_message" || calls[len(calls)-1].Method != "get_account_info" {
		t.Errorf("Calls: got %d, want %d", len(calls), MaxCalls)
	}
	for i := range MaxChats + 1 {
		serve(s, "send_message", textBody("r"+string(rune('a'+i%26))+strings.Repeat("x", i/26), "x"))
	}
	if got := len(s.Receivers()); got != MaxChats {
		t.Errorf("Receivers: got %d, want %d", got, MaxChats)
	}
	if got := s.Messages("u1"); len(got) != 0 {
		t.Errorf("oldest chat: got %d messages, want it dropped", len(got))
	}
}

func TestReset(t *testing.T) {
	f := newFake(t)
	f.post(t, "set_webhook", testToken, `{"url":"https://bot.example.com/v"}`)
	f.send(t, textBody("u1", "x"))
	f.Reset()
	if len(f.Calls()) != 0 || len(f.Messages("u1")) != 0 || len(f.Receivers()) != 0 {
		t.Errorf("after Reset: got %d calls, %d messages, want none", len(f.Calls()), len(f.Messages("u1")))
	}
	if f.Webhook().URL == "" {
		t.Errorf("Reset removed the webhook")
	}
	a := f.send(t, textBody("u1", "y"))
	if want := "5741311803571721088"; a.token() != want {
		t.Errorf("token after Reset: got %s, want %s (tokens stay unique)", a.token(), want)
	}
}

func TestRateLimit(t *testing.T) {
	f := newFake(t)
	f.MaxUnanswered = 3
	b := newBot(t, "")
	steps := []struct {
		name       string
		before     func()
		wantStatus string
	}{
		{"1st", nil, "0"},
		{"2nd", func() { f.clock.Advance(30 * time.Minute) }, "0"},
		{"3rd", nil, "0"},
		{"4th within the hour", nil, "12"},
		{"other user", nil, "0"}, // sent to u2
		{"after the first left the hour", func() { f.clock.Advance(31 * time.Minute) }, "0"},
		{"limit again", nil, "12"},
		{"after the user replied", func() {
			resp, err := f.Deliver(context.Background(), b.Client(), b.URL, MessageCallback("u1", "O", "uk", "hi", 1, f.clock.Now(), ""))
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
		}, "0"},
	}
	for _, st := range steps {
		if st.before != nil {
			st.before()
		}
		receiver := "u1"
		if st.name == "other user" {
			receiver = "u2"
		}
		a := f.send(t, textBody(receiver, st.name))
		if a.status() != st.wantStatus {
			t.Errorf("%s: got %s, want status %s", st.name, a.Raw, st.wantStatus)
		}
		if st.wantStatus == "12" && a.statusMsg() != "tooManyRequests" {
			t.Errorf("%s: status_message got %q, want tooManyRequests", st.name, a.statusMsg())
		}
	}
}

func TestConcurrent(t *testing.T) {
	f := newFake(t)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for range 10 {
				serve(f.Server, "send_message", textBody("u1", "x"))
				f.Messages("u1")
				f.Calls()
				if i == 0 {
					f.FailNext("get_account_info", 12, 1)
				}
			}
		})
	}
	wg.Wait()
	msgs := f.Messages("u1")
	seen := map[uint64]bool{}
	for _, m := range msgs {
		seen[m.Token] = true
	}
	if len(msgs) != 80 || len(seen) != 80 {
		t.Errorf("got %d messages with %d distinct tokens, want 80 and 80", len(msgs), len(seen))
	}
}

// TestNextMessageToken: tokens reserved for the user's messages and those
// of the bot's messages come from one counter, so a chat sorts by token.
func TestNextMessageToken(t *testing.T) {
	s := New(testToken)
	mine := s.NextMessageToken()
	serve(s, "send_message", textBody("u1", "reply"))
	next := s.NextMessageToken()
	bot := s.Messages("u1")[0].Token
	if !(mine < bot && bot < next) {
		t.Errorf("tokens: user %d, bot %d, user %d; want increasing", mine, bot, next)
	}
}
