package liqpay_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/paylastic/edge/core/bank/banktest"
	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/errs"
)

// TestStatusWaitAccept: a payment LiqPay holds until it verifies the shop
// is paid for the cashier, with LiqPay's status kept and the card shown, in
// action=status and in the callback alike.
func TestStatusWaitAccept(t *testing.T) {
	for _, verified := range []bool{false, true} {
		t.Run(fmt.Sprint("verified=", verified), func(t *testing.T) {
			w := newWorld(t)
			w.fake.SetShopVerified(verified)
			r, _, p := w.start()
			if err := w.fake.Pay(p.Attempt.ProviderRef, true, ""); err != nil {
				t.Fatal(err)
			}
			wantBank := "wait_accept"
			if verified {
				wantBank = ""
			}
			ev, err := w.lp.Status(context.Background(), w.m, r, p.Attempt)
			if err != nil {
				t.Fatalf("Status: %v", err)
			}
			got := w.Received()
			if len(got) != 1 || got[0].Err != nil {
				t.Fatalf("callbacks: %+v", got)
			}
			for via, ev := range map[string]check.Event{"status": ev, "callback": got[0].N.Event} {
				if ev.Status != check.AttemptSuccess || ev.BankStatus != wantBank || ev.Card != "Visa •••• 42" {
					t.Errorf("%s: %+v, want success, bank status %q, card Visa •••• 42", via, ev, wantBank)
				}
			}
		})
	}
}

// TestStatusRefusedKeys: keys LiqPay no longer takes (regenerated in its
// cabinet) are a permanent refusal naming the key, never a pending payment
// nor a temporary failure.
func TestStatusRefusedKeys(t *testing.T) {
	tests := []struct {
		name, public, private, names string
	}{
		{"private key regenerated", publicKey, "sandbox_regeneratedKeyCCCCCCCCCCCCCCCCCCCCCCCC", "private_key"},
		{"another shop's public key", "i00000000077", privateKey, "public_key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			r, _, p := w.start()
			w.fake.Pay(p.Attempt.ProviderRef, true, "")
			w.fake.SetKeys(tt.public, tt.private)
			ev, err := w.lp.Status(context.Background(), w.m, r, p.Attempt)
			if errs.CodeOf(err) != errs.Refused || !strings.Contains(errs.MessageOf(err), tt.names) {
				t.Errorf("Status = %+v, %v; want refused naming the %s", ev, err, tt.names)
			}
		})
	}
}

// TestStatusAnswers: what LiqPay answers, and what it means for the
// attempt: transport-level trouble (an HTML error page included) is
// temporary, a refusal permanent, an undocumented status pending and
// logged.
func TestStatusAnswers(t *testing.T) {
	w := newWorld(t)
	r, _, p := w.start()
	order := p.Attempt.ProviderRef
	banktest.StatusAnswers(t, w.harness(), r, p.Attempt, []banktest.Answer{
		{Name: "429", Code: http.StatusTooManyRequests, Body: `{"status":"error","err_code":"too_many_requests"}`, Want: errs.Unavailable},
		{Name: "502 page", Code: http.StatusBadGateway, Body: `<html>bad gateway</html>`, Want: errs.Unavailable},
		{Name: "503 page", Code: http.StatusServiceUnavailable, Body: `<html>down</html>`, Want: errs.Unavailable},
		{Name: "500 JSON", Code: http.StatusInternalServerError, Body: `{"result":"error","status":"error","err_code":"err_internal"}`, Want: errs.Unavailable},
		{Name: "err_signature", Code: 200, Body: `{"status":"error","err_code":"err_signature","err_description":"Invalid signature"}`, Want: errs.Refused},
		{Name: "invalid_signature", Code: 200, Body: `{"result":"error","status":"error","err_code":"invalid_signature","err_description":"Signature is invalid"}`, Want: errs.Refused},
		{Name: "shop_not_active", Code: 200, Body: `{"status":"error","err_code":"shop_not_active","err_description":"Shop is not active"}`, Want: errs.Refused},
		{Name: "err_auth", Code: 200, Body: `{"status":"error","err_code":"err_auth","err_description":"Authorization is required"}`, Want: errs.Refused},
		{Name: "undocumented status", Code: 200, Body: `{"result":"ok","status":"brand_new","order_id":"` + order + `","amount":12.5,"currency":"UAH"}`,
			Status: check.AttemptPending, Log: "brand_new"},
		{Name: "wait_compensation", Code: 200, Body: `{"result":"ok","status":"wait_compensation","order_id":"` + order + `","amount":12.5,"currency":"UAH","sender_card_mask2":"516875*15","sender_card_type":"mc"}`,
			Status: check.AttemptSuccess, Card: "Mastercard •••• 15"},
	})
}
