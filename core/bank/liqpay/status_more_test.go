package liqpay_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/paylastic/edge/core/bank"
	"github.com/paylastic/edge/core/bank/liqpay"
	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/merchant"
	"github.com/paylastic/edge/internal/testsupport"
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
// attempt: transport-level trouble is temporary, a refusal permanent, an
// undocumented status pending and logged.
func TestStatusAnswers(t *testing.T) {
	w := newWorld(t)
	r, _, p := w.start()
	order := p.Attempt.ProviderRef
	tests := []struct {
		name     string
		code     int
		body     string
		want     errs.Code // "" for no error
		wantSt   check.AttemptStatus
		wantLogs string
	}{
		{"429", http.StatusTooManyRequests, `{"status":"error","err_code":"too_many_requests"}`, errs.Unavailable, "", ""},
		{"503 page", http.StatusServiceUnavailable, `<html>down</html>`, errs.Unavailable, "", ""},
		{"500 JSON", http.StatusInternalServerError, `{"result":"error","status":"error","err_code":"err_internal"}`, errs.Unavailable, "", ""},
		{"err_signature", 200, `{"status":"error","err_code":"err_signature","err_description":"Invalid signature"}`, errs.Refused, "", ""},
		{"invalid_signature", 200, `{"result":"error","status":"error","err_code":"invalid_signature","err_description":"Signature is invalid"}`, errs.Refused, "", ""},
		{"shop_not_active", 200, `{"status":"error","err_code":"shop_not_active","err_description":"Shop is not active"}`, errs.Refused, "", ""},
		{"err_auth", 200, `{"status":"error","err_code":"err_auth","err_description":"Authorization is required"}`, errs.Refused, "", ""},
		{"undocumented status", 200, `{"result":"ok","status":"brand_new","order_id":"` + order + `","amount":12.5,"currency":"UAH"}`, "", check.AttemptPending, "brand_new"},
		{"wait_compensation", 200, `{"result":"ok","status":"wait_compensation","order_id":"` + order + `","amount":12.5,"currency":"UAH","sender_card_mask2":"516875*15","sender_card_type":"mc"}`, "", check.AttemptSuccess, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, _ *http.Request) {
				rw.WriteHeader(tt.code)
				rw.Write([]byte(tt.body))
			}))
			defer srv.Close()
			var logs testsupport.LogBuf
			lp := liqpay.New(bank.Env{Now: w.Clock.Now, Log: logs.Logger(), Signer: w.Signer, Merchants: w.Merchants,
				Credentials: func(m merchant.Merchant) ([]byte, error) { return w.Box.Open(m.Credentials, []byte(m.ID)) }}, srv.URL)
			ev, err := lp.Status(context.Background(), w.m, r, p.Attempt)
			if tt.want != "" {
				if errs.CodeOf(err) != tt.want {
					t.Errorf("Status = %+v, %v; want %s", ev, err, tt.want)
				}
				return
			}
			if err != nil || ev.Status != tt.wantSt {
				t.Errorf("Status = %+v, %v; want %s", ev, err, tt.wantSt)
			}
			if !strings.Contains(logs.String(), tt.wantLogs) || (tt.wantLogs == "" && strings.Contains(logs.String(), "not documented")) {
				t.Errorf("logged %q, want %q", logs.String(), tt.wantLogs)
			}
		})
	}
}
