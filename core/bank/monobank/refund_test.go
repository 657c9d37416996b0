package monobank_test

import (
	"context"
	"testing"
	"time"

	"github.com/paylastic/edge/core/check"
)

// TestRefundSettledLater: invoice/cancel answering "processing" is an
// accepted refund; invoice/status says success until the bank settles it,
// then reversed, stamped after the payment.
func TestRefundSettledLater(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	r, _, p := w.start()
	if err := w.fake.Pay(p.Attempt.ProviderRef, true, ""); err != nil {
		t.Fatal(err)
	}
	paid, err := w.mb.Status(ctx, w.m, r, p.Attempt)
	if err != nil || paid.Status != check.AttemptSuccess {
		t.Fatalf("Status after paying = %+v, %v", paid, err)
	}
	w.fake.SetRefundDelay(time.Minute)
	if err := w.mb.Refund(ctx, w.m, r, p.Attempt, r.Amount); err != nil {
		t.Fatalf("Refund answered processing: %v, want accepted", err)
	}
	steps := []struct {
		name    string
		advance time.Duration
		want    check.AttemptStatus
	}{
		{"right after", 0, check.AttemptSuccess},
		{"settled", time.Minute, check.AttemptReversed},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			w.Clock.Advance(s.advance)
			ev, err := w.mb.Status(ctx, w.m, r, p.Attempt)
			if err != nil || ev.Status != s.want {
				t.Fatalf("Status = %+v, %v; want %s", ev, err, s.want)
			}
			if s.want == check.AttemptReversed && !ev.Modified.After(paid.Modified) {
				t.Errorf("reversal stamped %v, want after the payment's %v", ev.Modified, paid.Modified)
			}
		})
	}
}
