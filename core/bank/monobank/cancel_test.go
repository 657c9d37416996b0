package monobank_test

import (
	"context"
	"testing"

	"github.com/paylastic/edge/core/bank/banktest"
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
	mask := map[string]string{"token": "…(44 chars)"}
	banktest.Credentials(t, newWorld(t).mb, []banktest.CredentialsCase{
		{Raw: `{"token":"` + token + `"}`, OK: true, Mask: mask},
		{Raw: `{"token":"short"}`},
		{Raw: `{"token":"has space in the middle of it"}`},
		{Raw: `{"token":"` + token + `","extra":1}`},
		{Raw: `{"token":42}`},
		{Raw: `{}`},
		{Raw: `[]`},
		{Raw: `{"token":"` + token + `"}{}`},
	}, token[3:], "has space")
}
