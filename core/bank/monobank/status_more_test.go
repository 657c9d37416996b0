package monobank_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/paylastic/edge/core/bank/banktest"
	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/errs"
)

// TestStatusCard: the card monobank reports (paymentInfo) is on the event,
// as the receipt shows it, from invoice/status and the webhook alike.
func TestStatusCard(t *testing.T) {
	w := newWorld(t)
	r, _, p := w.start()
	if err := w.fake.Pay(p.Attempt.ProviderRef, true, ""); err != nil {
		t.Fatal(err)
	}
	ev, err := w.mb.Status(context.Background(), w.m, r, p.Attempt)
	if err != nil {
		t.Fatalf("Status: %v", err)
	}
	got := w.Received()
	if len(got) == 0 || got[len(got)-1].Err != nil {
		t.Fatalf("webhooks: %+v", got)
	}
	for via, ev := range map[string]check.Event{"status": ev, "webhook": got[len(got)-1].N.Event} {
		if ev.Status != check.AttemptSuccess || ev.Card != "Visa •••• 4242" {
			t.Errorf("%s: %+v, want success with card Visa •••• 4242", via, ev)
		}
	}
}

// TestStatusRefusedToken: a token monobank no longer takes (revoked in its
// cabinet: 403 FORBIDDEN) is a permanent refusal, never pending.
func TestStatusRefusedToken(t *testing.T) {
	w := newWorld(t)
	r, _, p := w.start()
	w.fake.SetToken("uSomeOtherTokenBBBBBBBBBBBBBBBBBBBBBBBBBBBBB")
	if ev, err := w.mb.Status(context.Background(), w.m, r, p.Attempt); errs.CodeOf(err) != errs.Refused {
		t.Errorf("Status = %+v, %v; want refused", ev, err)
	}
}

// TestStatusAnswers: transport-level trouble is temporary, an undocumented
// status pending and logged, the card shown with or without its system.
func TestStatusAnswers(t *testing.T) {
	w := newWorld(t)
	r, token, p := w.start()
	id := p.Attempt.ProviderRef
	body := func(status, info string) string {
		return fmt.Sprintf(`{"invoiceId":%q,"status":%q,"amount":1250,"ccy":980,"reference":%q,"modifiedDate":"2026-11-26T10:00:00Z"%s}`, id, status, token, info)
	}
	banktest.StatusAnswers(t, w.harness(), r, p.Attempt, []banktest.Answer{
		{Name: "429", Code: http.StatusTooManyRequests, Body: `{"errCode":"TMR","errText":"too many requests"}`, Want: errs.Unavailable},
		{Name: "500", Code: http.StatusInternalServerError, Body: `{"errCode":"INTERNAL_ERROR","errText":"oops"}`, Want: errs.Unavailable},
		{Name: "403", Code: http.StatusForbidden, Body: `{"errCode":"FORBIDDEN","errText":"forbidden"}`, Want: errs.Refused},
		{Name: "undocumented status", Code: 200, Body: body("brand_new", ""), Status: check.AttemptPending, Log: "brand_new"},
		{Name: "hold", Code: 200, Body: body("hold", ""), Status: check.AttemptPending},
		{Name: "paid, no system", Code: 200, Body: body("success", `,"paymentInfo":{"maskedPan":"537541******2332"}`), Status: check.AttemptSuccess, Card: "•••• 2332"},
		{Name: "paid, mastercard", Code: 200, Body: body("success", `,"paymentInfo":{"maskedPan":"537541******2332","paymentSystem":"mastercard"}`),
			Status: check.AttemptSuccess, Card: "Mastercard •••• 2332"},
	})
}
