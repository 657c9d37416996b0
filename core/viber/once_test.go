package viber

import (
	"net/http"
	"testing"

	"github.com/paylastic/edge/core/bot/bottest"
	vbfake "github.com/paylastic/edge/fakes/viber"
)

// TestMessageHandledOnce reproduces what was seen before messages were
// marked handled in the consistent store: 20 deliveries of one
// message_token at once made 10 messages, and a redelivered activation
// code was answered «Готово!» again. Now one delivery answers; the others
// are answered 200 once it is done and 503 while it runs.
func TestMessageHandledOnce(t *testing.T) {
	r := newRig(t)
	code := r.message(r.code, "uk")
	r.send(code, 200)
	r.send(code, 200)
	if n := len(r.sent()); n != 1 {
		t.Errorf("the activation code delivered twice got %d answers, want 1", n)
	}
	amount := r.message("12,50", "uk")
	before := len(r.sent())
	codes := bottest.AtOnce(20, func() int { return r.post(vbfake.Sign(token, amount), amount).Code })
	for i, c := range codes {
		if c != http.StatusOK && c != http.StatusServiceUnavailable {
			t.Errorf("delivery %d answered %d, want 200 or 503", i, c)
		}
		if c != http.StatusOK {
			r.send(amount, 200) // Viber retries: done by now
		}
	}
	// a check on Viber is a picture and its details: two messages, once
	if n := len(r.sent()) - before; n != 2 {
		t.Errorf("20 deliveries of one message sent %d messages, want 2 (the QR and its details)", n)
	}
}
