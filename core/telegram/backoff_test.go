package telegram

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/internal/testsupport"
)

// backoff is what the scheduled pass looks for in a notifier's error
// (checks.Sweep); it is not exported there, so it is restated here.
type backoff interface{ Backoff() time.Duration }

// TestBackoff: a notice that hits Telegram's flood control returns an error
// that says how long to wait, through the Notifier's wrapping; other
// failures say nothing.
func TestBackoff(t *testing.T) {
	chk := check.Check{ID: "abcdefabcdefabcdefabcdefab", Amount: 1250,
		Chat: check.Chat{Messenger: Messenger, ChatID: strconv.FormatInt(userID, 10), Lang: "uk"}}
	tests := []struct {
		name       string
		status     int
		retryAfter int
		want       time.Duration // 0: no backoff in the error
	}{
		{"flood control", 429, 7, 7 * time.Second},
		{"flood control without retry_after", 429, 0, time.Second},
		{"server error", 500, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t)
			r.fake.FailNext("sendMessage", tt.status, tt.retryAfter, 1)
			err := r.svc.Notifier.Notify(context.Background(), chk, check.Notice{Kind: check.NoticePaid, At: testsupport.T0})
			if err == nil {
				t.Fatal("Notify = nil, want the failure")
			}
			var got time.Duration
			var b backoff
			if errors.As(err, &b) {
				got = b.Backoff()
			}
			if got != tt.want {
				t.Errorf("backoff = %v, want %v (%v)", got, tt.want, err)
			}
		})
	}
}
