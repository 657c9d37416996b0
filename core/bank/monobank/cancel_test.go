package monobank_test

import (
	"context"
	"strings"
	"testing"

	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/errs"
)

func TestCancel(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	r, _, p := w.start()
	if err := w.mb.Cancel(ctx, w.m, r, p.Attempt); err != nil {
		t.Fatalf("Cancel: %v", err)
	}
	inv, _ := w.fake.Invoice(p.Attempt.ProviderRef)
	if !inv.Removed || inv.Status != "expired" {
		t.Errorf("after Cancel the invoice is %s (removed %v), want expired and removed", inv.Status, inv.Removed)
	}
	if err := w.fake.Pay(p.Attempt.ProviderRef, true, ""); err == nil {
		t.Error("a removed invoice could be paid")
	}
	if err := w.mb.Cancel(ctx, w.m, r, p.Attempt); err != nil {
		t.Errorf("Cancel again: %v", err)
	}
	if err := w.mb.Cancel(ctx, w.m, r, check.Attempt{ProviderRef: "p2_unknown"}); err != nil {
		t.Errorf("Cancel of an invoice the bank does not know: %v, want nil", err)
	}
	r2, _, p2 := w.start()
	w.fake.Pay(p2.Attempt.ProviderRef, true, "")
	if err := w.mb.Cancel(ctx, w.m, r2, p2.Attempt); err == nil {
		t.Error("Cancel of a paid invoice said nothing")
	}
}

func TestRefund(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	r, _, p := w.start()
	if err := w.mb.Refund(ctx, w.m, r, p.Attempt, r.Amount); errs.CodeOf(err) == "" {
		t.Error("refunded an unpaid invoice")
	}
	w.fake.Pay(p.Attempt.ProviderRef, true, "")
	if err := w.mb.Refund(ctx, w.m, r, p.Attempt, r.Amount+1); errs.CodeOf(err) != errs.Invalid {
		t.Errorf("refund over the amount: %v, want invalid", err)
	}
	if err := w.mb.Refund(ctx, w.m, r, p.Attempt, r.Amount); err != nil {
		t.Fatalf("Refund: %v", err)
	}
	w.fake.Wait()
	inv, _ := w.fake.Invoice(p.Attempt.ProviderRef)
	if inv.Status != "reversed" || len(inv.CancelList) != 1 || inv.CancelList[0].ExtRef != "refund-"+r.ID || inv.CancelList[0].Amount != 1250 {
		t.Errorf("after Refund the invoice is %s with %+v", inv.Status, inv.CancelList)
	}
	got := w.Received()
	last := got[len(got)-1]
	if last.Err != nil || last.N.Event.Status != check.AttemptReversed {
		t.Errorf("the reversal webhook: %+v %v", last.N.Event, last.Err)
	}
	if err := w.mb.Refund(ctx, w.m, r, p.Attempt, r.Amount); errs.CodeOf(err) != errs.Conflict {
		t.Errorf("refund twice: %v, want conflict", err)
	}
}

func TestCredentials(t *testing.T) {
	w := newWorld(t)
	tests := []struct {
		raw  string
		ok   bool
		mask string
	}{
		{`{"token":"` + token + `"}`, true, "…(44 chars)"},
		{`{"token":"short"}`, false, ""},
		{`{"token":"has space in the middle of it"}`, false, ""},
		{`{"token":"` + token + `","extra":1}`, false, ""},
		{`{"token":42}`, false, ""},
		{`{}`, false, ""},
		{`[]`, false, ""},
		{`{"token":"` + token + `"}{}`, false, ""},
	}
	for _, tt := range tests {
		plain, err := w.mb.CheckCredentials([]byte(tt.raw))
		if (err == nil) != tt.ok {
			t.Errorf("CheckCredentials(%s) = %v, want ok %v", tt.raw, err, tt.ok)
			continue
		}
		if err != nil {
			if errs.CodeOf(err) != errs.Invalid {
				t.Errorf("CheckCredentials(%s): code %s, want invalid", tt.raw, errs.CodeOf(err))
			}
			if msg := err.Error(); strings.Contains(msg, "has space") {
				t.Errorf("the error quotes the token: %s", msg)
			}
			continue
		}
		if got := w.mb.MaskCredentials(plain)["token"]; got != tt.mask {
			t.Errorf("mask = %q, want %q", got, tt.mask)
		}
	}
}
