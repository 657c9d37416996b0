package telegram

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/kv"
	"github.com/paylastic/edge/internal/testsupport"
)

type failing struct{ kv.Store }

var errKV = errors.New("kv down")

func (failing) Get(context.Context, string) ([]byte, error) { return nil, errKV }

func TestNotifier(t *testing.T) {
	chk := check.Check{ID: "abcdefabcdefabcdefabcdefab", Amount: 1250,
		Chat: check.Chat{Messenger: Messenger, ChatID: strconv.FormatInt(userID, 10), Lang: "en"}}
	n := check.Notice{Kind: check.NoticePaid, At: testsupport.T0}
	tests := []struct {
		name    string
		fail    int
		wantErr bool
	}{
		{"sent", 0, false},
		{"flood", 429, true},
		{"server error", 500, true},
		{"blocked", 403, false},
		{"chat not found", 400, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t)
			if tt.fail != 0 {
				r.fake.FailNext("sendMessage", tt.fail, 1, 1)
			}
			err := r.svc.Notifier.Notify(context.Background(), chk, n)
			if (err != nil) != tt.wantErr {
				t.Fatalf("Notify = %v, want error %v", err, tt.wantErr)
			}
			if tt.fail == 0 && r.last().Plain != "✅ Paid: check ABCDEF for UAH 12.50, at 12:00." {
				t.Errorf("notice text %q", r.last().Plain)
			}
		})
	}
	r := newRig(t)
	if err := r.svc.Notifier.Notify(context.Background(), check.Check{Chat: check.Chat{Messenger: "viber"}}, n); err == nil {
		t.Error("a Viber chat was notified on Telegram")
	}
}

// TestFailedNoticeStaysPending: a paid check whose notice hit a 429 keeps it
// pending, and the scheduled pass delivers it once.
func TestFailedNoticeStaysPending(t *testing.T) {
	r := newRig(t)
	r.activate("uk")
	r.send(r.message("12,50", "uk"), 200)
	cb := r.calls("sendPhoto")[0].Param("reply_markup")
	i := strings.Index(cb, "cancel:") + len("cancel:")
	short := cb[i : i+strings.Index(cb[i:], `"`)]
	op, err := r.hook.Bot.Merchants.Operator(context.Background(), Messenger, strconv.FormatInt(userID, 10))
	if err != nil {
		t.Fatal(err)
	}
	refuse := func() { r.fake.FailNext("sendMessage", 429, 5, 1) }
	r.conv.PayThroughSweep(t, op, short, &r.now, refuse, func() (texts []string) {
		for _, m := range r.fake.Messages(userID) {
			texts = append(texts, m.Plain)
		}
		return texts
	})
}
