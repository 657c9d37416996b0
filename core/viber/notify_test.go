package viber

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/paylastic/edge/core/bot"
	"github.com/paylastic/edge/core/check"
	vbfake "github.com/paylastic/edge/fakes/viber"
	"github.com/paylastic/edge/internal/testsupport"
)

func TestNotifier(t *testing.T) {
	chk := check.Check{ID: "abcdefabcdefabcdefabcdefab", Amount: 1250,
		Chat: check.Chat{Messenger: Messenger, ChatID: userID, UserID: userID, Lang: "en"}}
	n := check.Notice{Kind: check.NoticePaid, At: testsupport.T0}
	tests := []struct {
		name       string
		status     int // Viber status to fail with
		httpStatus int
		wantErr    bool
	}{
		{"sent", 0, 0, false},
		{"too many requests", vbfake.StatusTooManyRequests, 0, true},
		{"server error", 0, 502, true},
		{"unsubscribed", vbfake.StatusReceiverNotSubscribed, 0, false},
		{"not registered", vbfake.StatusReceiverNotRegistered, 0, false},
		{"bad data", vbfake.StatusBadData, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t)
			switch {
			case tt.status != 0:
				r.fake.FailNext("send_message", tt.status, 1)
			case tt.httpStatus != 0:
				r.fake.FailHTTP("send_message", tt.httpStatus, 1)
			}
			err := r.svc.Notifier.Notify(context.Background(), chk, n)
			if (err != nil) != tt.wantErr {
				t.Fatalf("Notify = %v, want error %v", err, tt.wantErr)
			}
			if tt.status != 0 || tt.httpStatus != 0 {
				return
			}
			m := r.last()
			if m.Text != "✅ Paid: check ABCDEF for UAH 12.50, at 12:00." || buttons(t, m.Keyboard)["new"] != "New check" {
				t.Errorf("notice %q keyboard %s", m.Text, m.Keyboard)
			}
		})
	}
	t.Run("network", func(t *testing.T) {
		r := newRig(t)
		r.api.Close()
		if err := r.svc.Notifier.Notify(context.Background(), chk, n); err == nil || bot.Permanent(err) {
			t.Errorf("Notify with the API down = %v, want a temporary error", err)
		}
	})
	t.Run("other messenger", func(t *testing.T) {
		r := newRig(t)
		if err := r.svc.Notifier.Notify(context.Background(), check.Check{Chat: check.Chat{Messenger: "telegram", ChatID: "5"}}, n); err == nil {
			t.Error("a Telegram chat was notified on Viber")
		}
	})
}

// TestNoticePending: a paid check whose notice hit status 12 keeps it
// pending, and the scheduled pass delivers it once.
func TestNoticePending(t *testing.T) {
	r := newRig(t)
	r.activate("uk")
	r.send(r.message("12,50", "uk"), 200)
	short := strings.TrimPrefix(cancelBody(t, r.last()), bot.CancelPrefix)
	refuse := func() { r.fake.FailNext("send_message", vbfake.StatusTooManyRequests, 1) }
	r.conv.PayThroughSweep(t, r.operator(), short, &r.now, refuse, func() (texts []string) {
		for _, m := range r.sent() {
			texts = append(texts, m.Text)
		}
		return texts
	})
}

func TestAPIError(t *testing.T) {
	tests := []struct {
		e         APIError
		temporary bool
		text      string
	}{
		{APIError{Method: "send_message", Description: "connection refused"}, true, "viber send_message: connection refused"},
		{APIError{Method: "send_message", HTTPStatus: 503, Status: NoStatus, Description: "Service Unavailable"}, true, "viber send_message: HTTP 503 Service Unavailable"},
		{APIError{Method: "send_message", HTTPStatus: 429, Status: NoStatus}, true, "viber send_message: HTTP 429 "},
		{APIError{Method: "send_message", HTTPStatus: 404, Status: NoStatus, Description: "404 page not found"}, false, "viber send_message: HTTP 404 404 page not found"},
		{APIError{Method: "send_message", HTTPStatus: 200, Status: NoStatus, Description: "answer is not a Viber status: <html>"}, true, "viber send_message: HTTP 200 answer is not a Viber status: <html>"},
		{APIError{Method: "send_message", HTTPStatus: 200, Status: 12, Description: "tooManyRequests"}, true, "viber send_message: status 12 tooManyRequests"},
		{APIError{Method: "send_message", HTTPStatus: 200, Status: 6, Description: "receiverNotSubscribed"}, false, "viber send_message: status 6 receiverNotSubscribed"},
		{APIError{Method: "set_webhook", HTTPStatus: 200, Status: 2, Description: "invalidAuthToken"}, false, "viber set_webhook: status 2 invalidAuthToken"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			if got := tt.e.Temporary(); got != tt.temporary {
				t.Errorf("Temporary = %v, want %v", got, tt.temporary)
			}
			if got := tt.e.Error(); got != tt.text {
				t.Errorf("Error = %q, want %q", got, tt.text)
			}
		})
	}
}

// TestClientAnswers: the client reads what the API answers: the token of a
// sent message exactly, and garbage as a temporary failure.
func TestClientAnswers(t *testing.T) {
	r := newRig(t)
	c := r.hook.Client
	tok, err := c.Send(context.Background(), TextMessage(userID, "hi", nil))
	if err != nil || tok != vbfake.FirstMessageToken || r.last().Token != tok {
		t.Errorf("Send = %d, %v; want %d", tok, err, vbfake.FirstMessageToken)
	}
	var sent map[string]json.RawMessage
	if err := json.Unmarshal(r.calls("send_message")[0].Request, &sent); err != nil || string(sent["min_api_version"]) != "1" || string(sent["sender"]) != `{"name":"PayLastic"}` {
		t.Errorf("request %s", r.calls("send_message")[0].Request)
	}
	if r.calls("send_message")[0].Status != 0 {
		t.Errorf("the fake refused the message: %+v", r.calls("send_message")[0])
	}
	c2 := *c
	c2.Token = "wrong"
	if err := c2.SendText(context.Background(), userID, "hi", nil); !bot.Permanent(err) || !strings.Contains(err.Error(), "status 2") {
		t.Errorf("wrong token: %v", err)
	}
	c2 = *c
	c2.APIURL = r.api.URL + "/elsewhere/nope/"
	if err := c2.SendText(context.Background(), userID, "hi", nil); err != nil {
		t.Errorf("the fake serves any prefix: %v", err)
	}
}
