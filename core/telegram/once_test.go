package telegram

import (
	"net/http"
	"strings"
	"testing"

	"github.com/paylastic/edge/core/bot/bottest"
)

// TestUpdateHandledOnce reproduces what was seen before updates were
// marked handled in the consistent store: 20 identical updates at once
// (one update_id, one message_id) made one check but 1 to 9 sendPhoto
// calls, and a redelivered activation code, «Створити чек» or "abc" was
// answered again each time. Now one delivery handles an update; the
// others are answered 200 when it is done, 503 while it runs (so that
// Telegram comes back), and nothing is sent twice.
func TestUpdateHandledOnce(t *testing.T) {
	r := newRig(t)
	code := r.message(r.code, "uk")
	r.send(code, 200)
	r.send(code, 200) // redelivered: no second «Готово!»
	if n := len(r.calls("sendMessage")); n != 1 {
		t.Errorf("the activation code delivered twice got %d answers, want 1", n)
	}
	for _, text := range []string{"Створити чек", "abc"} {
		u := r.message(text, "uk")
		before := len(r.fake.Calls())
		r.send(u, 200)
		r.send(u, 200)
		if n := len(r.fake.Calls()) - before; n != 1 {
			t.Errorf("%q delivered twice made %d API calls, want 1", text, n)
		}
	}

	amount := r.message("12,50", "uk")
	codes := bottest.AtOnce(20, func() int { return r.post(secret, amount).Code })
	if n := len(r.calls("sendPhoto")); n != 1 {
		t.Errorf("20 identical updates at once sent %d QR codes, want 1", n)
	}
	for i, c := range codes {
		if c != http.StatusOK && c != http.StatusServiceUnavailable {
			t.Errorf("delivery %d answered %d, want 200 (handled) or 503 (being handled)", i, c)
		}
	}
	// Telegram delivers the ones answered 503 again: they are done now
	for i, c := range codes {
		if c != http.StatusOK {
			r.send(amount, 200)
			codes[i] = http.StatusOK
		}
	}
	if n := len(r.calls("sendPhoto")); n != 1 {
		t.Errorf("after the redeliveries: %d QR codes, want 1", n)
	}
	if got := r.logs.String(); strings.Contains(got, "level=ERROR") {
		t.Errorf("errors logged:\n%s", got)
	}
}
