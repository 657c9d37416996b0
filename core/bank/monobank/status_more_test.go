package monobank_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/paylastic/edge/core/bank"
	"github.com/paylastic/edge/core/bank/monobank"
	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/merchant"
	"github.com/paylastic/edge/internal/testsupport"
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
	tests := []struct {
		name     string
		code     int
		body     string
		want     errs.Code // "" for no error
		wantSt   check.AttemptStatus
		wantCard string
		wantLog  string
	}{
		{"429", http.StatusTooManyRequests, `{"errCode":"TMR","errText":"too many requests"}`, errs.Unavailable, "", "", ""},
		{"500", http.StatusInternalServerError, `{"errCode":"INTERNAL_ERROR","errText":"oops"}`, errs.Unavailable, "", "", ""},
		{"403", http.StatusForbidden, `{"errCode":"FORBIDDEN","errText":"forbidden"}`, errs.Refused, "", "", ""},
		{"undocumented status", 200, body("brand_new", ""), "", check.AttemptPending, "", "brand_new"},
		{"hold", 200, body("hold", ""), "", check.AttemptPending, "", ""},
		{"paid, no system", 200, body("success", `,"paymentInfo":{"maskedPan":"537541******2332"}`), "", check.AttemptSuccess, "•••• 2332", ""},
		{"paid, mastercard", 200, body("success", `,"paymentInfo":{"maskedPan":"537541******2332","paymentSystem":"mastercard"}`), "", check.AttemptSuccess, "Mastercard •••• 2332", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, _ *http.Request) {
				rw.Header().Set("Content-Type", "application/json")
				rw.WriteHeader(tt.code)
				rw.Write([]byte(tt.body))
			}))
			defer srv.Close()
			var logs testsupport.LogBuf
			mb := monobank.New(bank.Env{Now: w.Clock.Now, Log: logs.Logger(), Signer: w.Signer, Merchants: w.Merchants, KV: w.Env().KV,
				Credentials: func(m merchant.Merchant) ([]byte, error) { return w.Box.Open(m.Credentials, []byte(m.ID)) }}, srv.URL)
			ev, err := mb.Status(context.Background(), w.m, r, p.Attempt)
			if tt.want != "" {
				if errs.CodeOf(err) != tt.want {
					t.Errorf("Status = %+v, %v; want %s", ev, err, tt.want)
				}
				return
			}
			if err != nil || ev.Status != tt.wantSt || ev.Card != tt.wantCard {
				t.Errorf("Status = %+v, %v; want %s, card %q", ev, err, tt.wantSt, tt.wantCard)
			}
			if !strings.Contains(logs.String(), tt.wantLog) || (tt.wantLog == "" && strings.Contains(logs.String(), "not documented")) {
				t.Errorf("logged %q, want %q", logs.String(), tt.wantLog)
			}
		})
	}
}
