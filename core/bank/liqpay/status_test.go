package liqpay_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/paylastic/edge/core/bank/banktest"
	"github.com/paylastic/edge/core/bank/liqpay"
	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/money"
)

// TestMapStatus lists every payment status LiqPay documents
// (https://www.liqpay.ua/en/doc/callback; try_again from the status API's
// page) and the decision for it.
func TestMapStatus(t *testing.T) {
	const live, test = false, true
	tests := []struct {
		in      string
		sandbox bool
		want    check.AttemptStatus
		ok      bool
	}{
		// final
		{"success", live, check.AttemptSuccess, true},
		{"failure", live, check.AttemptFailure, true},
		{"error", live, check.AttemptFailure, true},
		{"reversed", live, check.AttemptReversed, true},
		{"sandbox", test, check.AttemptSuccess, true},
		{"sandbox", live, check.AttemptSuccess, false},     // a test payment for a live merchant: refused
		{"subscribed", live, check.AttemptPending, true},   // no subscriptions are made
		{"unsubscribed", live, check.AttemptPending, true}, // no subscriptions are made
		// the buyer has a step left
		{"3ds_verify", live, check.AttemptPending, true},
		{"captcha_verify", live, check.AttemptPending, true},
		{"cvv_verify", live, check.AttemptPending, true},
		{"ivr_verify", live, check.AttemptPending, true},
		{"otp_verify", live, check.AttemptPending, true},
		{"password_verify", live, check.AttemptPending, true},
		{"phone_verify", live, check.AttemptPending, true},
		{"pin_verify", live, check.AttemptPending, true},
		{"receiver_verify", live, check.AttemptPending, true},
		{"sender_verify", live, check.AttemptPending, true},
		{"senderapp_verify", live, check.AttemptPending, true},
		{"p24_verify", live, check.AttemptPending, true},
		{"mp_verify", live, check.AttemptPending, true},
		{"wait_qr", live, check.AttemptPending, true},
		{"wait_sender", live, check.AttemptPending, true},
		// the money is taken: paid for the cashier
		{"wait_accept", live, check.AttemptSuccess, true},
		{"wait_compensation", live, check.AttemptSuccess, true},
		// not a final word yet
		{"prepared", live, check.AttemptPending, true},
		{"processing", live, check.AttemptPending, true},
		{"wait_secure", live, check.AttemptPending, true},
		{"wait_card", live, check.AttemptPending, true},
		{"wait_lc", live, check.AttemptPending, true},
		{"wait_reserve", live, check.AttemptPending, true},
		{"hold_wait", live, check.AttemptPending, true},
		{"cash_wait", live, check.AttemptPending, true},
		{"invoice_wait", live, check.AttemptPending, true},
		// status API only: this attempt failed, the buyer may pay again
		{"try_again", live, check.AttemptFailure, true},
		// not documented: pending (and logged by Status and Callback)
		{"", live, check.AttemptPending, true},
		{"SUCCESS", live, check.AttemptPending, true},
		{"brand_new", live, check.AttemptPending, true},
	}
	for _, tt := range tests {
		got, ok := liqpay.MapStatus(tt.in, tt.sandbox)
		if got != tt.want || ok != tt.ok {
			t.Errorf("MapStatus(%q, %v) = %s, %v; want %s, %v", tt.in, tt.sandbox, got, ok, tt.want, tt.ok)
		}
	}
}

// TestStatus asks action=status through an order's life.
func TestStatus(t *testing.T) {
	banktest.StatusLife(t, liqpay.Name, func(t *testing.T) banktest.Harness { return newWorld(t).harness() }, []banktest.Step{
		{Name: "checkout shown, not paid", Status: check.AttemptPending},
		{Name: "not paid, just past its expiry", Act: banktest.After(31 * time.Minute), Status: check.AttemptPending},
		{Name: "not paid, expired", Act: banktest.After(34 * time.Minute), Status: check.AttemptExpired},
		{Name: "paid", Act: banktest.Paid, Status: check.AttemptSuccess},
		{Name: "declined", Act: banktest.Declined("9859"), Status: check.AttemptFailure, Reason: "Відмова банку-емітента"},
		{Name: "refunded", Act: banktest.Refunded, Status: check.AttemptReversed},
	}, nil)
}

func TestStatusNotOurs(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	r, _, p := w.start()
	w.fake.Pay(p.Attempt.ProviderRef, true, "")
	wrong := r
	wrong.Amount = 99
	if _, err := w.lp.Status(ctx, w.m, wrong, p.Attempt); err == nil {
		t.Error("an order of another amount was taken for this check")
	}
	if _, err := w.lp.Status(ctx, w.merchant(""), r, p.Attempt); errs.CodeOf(err) != errs.Refused {
		t.Errorf("asked LiqPay without keys: %v, want refused", err)
	}
	bad := w.merchant(`{"public_key":"i99999999999","private_key":"` + privateKey + `"}`)
	if _, err := w.lp.Status(ctx, bad, r, p.Attempt); errs.CodeOf(err) != errs.Refused || !strings.Contains(errs.MessageOf(err), "public_key") {
		t.Errorf("LiqPay refusing the public key: %v, want refused, naming the public_key", err)
	}
	badPriv := w.merchant(`{"public_key":"` + publicKey + `","private_key":"sandbox_otherKeyBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"}`)
	if _, err := w.lp.Status(ctx, badPriv, r, p.Attempt); errs.CodeOf(err) != errs.Refused || !strings.Contains(errs.MessageOf(err), "private_key") {
		t.Errorf("LiqPay refusing the private key: %v, want refused, naming the private_key", err)
	}
	w.bankSr.Close()
	if _, err := w.lp.Status(ctx, w.m, r, p.Attempt); errs.CodeOf(err) != errs.Unavailable {
		t.Errorf("LiqPay down: %v, want unavailable", err)
	}
}

func TestRefund(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	r, _, p := w.start()
	if err := w.lp.Refund(ctx, w.m, r, p.Attempt, r.Amount); errs.CodeOf(err) != errs.NotFound {
		t.Errorf("refund of an unpaid order: %v, want not found", err)
	}
	w.fake.Pay(p.Attempt.ProviderRef, true, "")
	if err := w.lp.Refund(ctx, w.m, r, p.Attempt, 0); errs.CodeOf(err) != errs.Invalid {
		t.Errorf("refund of nothing: %v, want invalid", err)
	}
	if err := w.lp.Refund(ctx, w.m, r, p.Attempt, r.Amount); err != nil {
		t.Fatalf("Refund: %v", err)
	}
	w.fake.Wait()
	o, _ := w.fake.Order(p.Attempt.ProviderRef)
	if o.Status != "reversed" || o.Refunded != 1250 {
		t.Errorf("after Refund the order is %s, refunded %d", o.Status, o.Refunded)
	}
	got := w.Received()
	if last := got[len(got)-1]; last.Err != nil || last.N.Event.Status != check.AttemptReversed {
		t.Errorf("the refund callback: %+v %v", last.N.Event, last.Err)
	}
	if err := w.lp.Refund(ctx, w.m, r, p.Attempt, r.Amount); errs.CodeOf(err) != errs.Conflict {
		t.Errorf("refund twice: %v, want conflict", err)
	}
}

func TestParseAmount(t *testing.T) {
	tests := []struct {
		in   string
		want money.Amount
		ok   bool
	}{
		{"42", 4200, true}, {"42.0", 4200, true}, {"42.00", 4200, true}, {"7.34", 734, true}, {"7.3", 730, true},
		{"0.01", 1, true}, {"999999.99", 99999999, true},
		{"", 0, false}, {"-1", 0, false}, {"1.", 0, false}, {".5", 0, false}, {"1.234", 0, false},
		{"1e3", 0, false}, {"1,5", 0, false}, {"NaN", 0, false}, {" 1", 0, false}, {"1234567890123", 0, false},
	}
	for _, tt := range tests {
		got, ok := liqpay.ParseAmount(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseAmount(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"42", "7.34", "0.01", "1e3", "-0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, ok := liqpay.ParseAmount(s)
		if !ok {
			return
		}
		if a < 0 || strings.Trim(s, "0123456789.") != "" {
			t.Fatalf("ParseAmount(%q) = %v", s, a)
		}
		if back, ok := liqpay.ParseAmount(a.Decimal()); !ok || back != a {
			t.Fatalf("%q → %v → %q → %v", s, a, a.Decimal(), back)
		}
	})
}

func TestCredentials(t *testing.T) {
	banktest.Credentials(t, newWorld(t).lp, []banktest.CredentialsCase{
		{Raw: `{"public_key":"i00000000001","private_key":"` + privateKey + `"}`, OK: true,
			Mask: map[string]string{"public_key": "i00000000001", "private_key": "…(43 chars)", "sandbox": "false"}},
		{Raw: `{"public_key":"i00000000001","private_key":"` + privateKey + `","sandbox":true}`, OK: true,
			Mask: map[string]string{"public_key": "i00000000001", "private_key": "…(43 chars)", "sandbox": "true"}},
		{Raw: `{"public_key":"i00000000001"}`},
		{Raw: `{"public_key":"i0","private_key":"` + privateKey + `"}`},
		{Raw: `{"public_key":"i00000000001","private_key":"i00000000001"}`},
		{Raw: `{"public_key":"i00000000001","private_key":"with spaces inside"}`},
		{Raw: `{"public_key":"i00000000001","private_key":"` + privateKey + `","token":"x"}`},
		{Raw: `null`},
	}, privateKey[3:], "with spaces")
}
