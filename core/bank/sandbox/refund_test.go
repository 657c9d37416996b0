package sandbox

import (
	"context"
	"testing"

	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/merchant"
)

func TestRefund(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	b := f.b
	ref := f.ref
	paid := record{Payment: "p1", Check: ref.ID, Amount: 1250, Status: check.AttemptSuccess, Modified: f.now}
	if err := b.putRecord(ctx, paid); err != nil {
		t.Fatal(err)
	}
	a := check.Attempt{ProviderRef: "p1"}
	m := merchant.Merchant{}
	if err := b.Refund(ctx, m, ref, a, 100); errs.CodeOf(err) != errs.Invalid {
		t.Errorf("partial refund = %v, want Invalid", err)
	}
	if err := b.Refund(ctx, m, ref, a, 1250); err != nil {
		t.Fatalf("refund: %v", err)
	}
	ev, err := b.Status(ctx, m, ref, a)
	if err != nil || ev.Status != check.AttemptReversed {
		t.Fatalf("status after refund = %+v, %v", ev, err)
	}
	if err := b.Refund(ctx, m, ref, a, 1250); errs.CodeOf(err) != errs.Conflict {
		t.Errorf("second refund = %v, want Conflict", err)
	}
	if err := b.Refund(ctx, m, ref, check.Attempt{ProviderRef: "never"}, 1250); errs.CodeOf(err) != errs.Conflict {
		t.Errorf("refund of an unpaid payment = %v, want Conflict", err)
	}
}
