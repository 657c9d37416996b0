package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/mymmrac/telego"
)

func TestGetUpdates(t *testing.T) {
	fake, bot, _ := newBot(t)
	ctx := context.Background()
	for _, u := range []string{
		`{"message":{"message_id":1,"date":1,"chat":{"id":42,"type":"private"},"text":"/start"}}`,
		`{"update_id":10,"callback_query":{"id":"q1","from":{"id":42,"is_bot":false,"first_name":"A"},"chat_instance":"ci","data":"paid:42"}}`,
		`{"message":{"message_id":2,"date":2,"chat":{"id":42,"type":"private"},"text":"help"}}`,
	} {
		if _, err := fake.Enqueue(json.RawMessage(u)); err != nil {
			t.Fatalf("enqueue: %v", err)
		}
	}
	if _, err := fake.Enqueue(json.RawMessage(`[1]`)); err == nil {
		t.Errorf("enqueue of an array: got no error")
	}

	tests := []struct {
		name    string
		params  telego.GetUpdatesParams
		wantIDs []int
	}{
		{"all", telego.GetUpdatesParams{}, []int{1, 10, 11}},
		{"limit", telego.GetUpdatesParams{Limit: 2}, []int{1, 10}},
		{"offset confirms", telego.GetUpdatesParams{Offset: 10}, []int{10, 11}},
		{"confirmed are gone", telego.GetUpdatesParams{}, []int{10, 11}},
		{"filter", telego.GetUpdatesParams{AllowedUpdates: []string{"callback_query"}}, []int{10}},
		{"filter is kept", telego.GetUpdatesParams{}, []int{10}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ups, err := bot.GetUpdates(ctx, &tt.params)
			if err != nil {
				t.Fatalf("get updates: %v", err)
			}
			var got []int
			for _, u := range ups {
				got = append(got, u.UpdateID)
			}
			if !slices.Equal(got, tt.wantIDs) {
				t.Errorf("got updates %v, want %v", got, tt.wantIDs)
			}
		})
	}
	ups, err := bot.GetUpdates(ctx, &telego.GetUpdatesParams{})
	if err != nil || len(ups) != 1 || ups[0].CallbackQuery == nil || ups[0].CallbackQuery.Data != "paid:42" {
		t.Errorf("callback update = %+v, %v; want data paid:42", ups, err)
	}
}

func TestGetUpdatesLongPoll(t *testing.T) {
	fake, bot, _ := newBot(t)
	go func() {
		time.Sleep(50 * time.Millisecond)
		_, _ = fake.Enqueue(json.RawMessage(`{"message":{"message_id":1,"date":1,"chat":{"id":42,"type":"private"},"text":"hi"}}`))
	}()
	start := time.Now()
	ups, err := bot.GetUpdates(context.Background(), &telego.GetUpdatesParams{Timeout: 30})
	if err != nil {
		t.Fatalf("get updates: %v", err)
	}
	if len(ups) != 1 || ups[0].Message.Text != "hi" {
		t.Errorf("got %+v, want the message", ups)
	}
	if d := time.Since(start); d >= MaxPollTimeout {
		t.Errorf("long poll took %s, want it to return on the update", d)
	}

	// With nothing queued it gives up after MaxPollTimeout at most.
	start = time.Now()
	ups, err = bot.GetUpdates(context.Background(), &telego.GetUpdatesParams{Offset: 2, Timeout: 30})
	if err != nil || len(ups) != 0 {
		t.Fatalf("got %v, %v; want no updates", ups, err)
	}
	if d := time.Since(start); d < MaxPollTimeout-100*time.Millisecond || d > MaxPollTimeout+time.Second {
		t.Errorf("empty long poll took %s, want about %s", d, MaxPollTimeout)
	}
}

func TestWaitCalls(t *testing.T) {
	fake, _, srv := newBot(t)
	const n = 20
	bot := botFor(t, srv, testToken)
	for range n {
		go func() { _, _ = bot.GetMe(context.Background()) }()
	}
	calls, err := fake.WaitCalls("getMe", n, 5*time.Second)
	if err != nil || len(calls) != n {
		t.Fatalf("got %d calls, %v; want %d", len(calls), err, n)
	}
	calls, err = fake.WaitCalls("getMe", n+1, 20*time.Millisecond)
	if !errors.Is(err, ErrTimeout) || len(calls) != n {
		t.Errorf("got %d calls, %v; want %d and ErrTimeout", len(calls), err, n)
	}
}
