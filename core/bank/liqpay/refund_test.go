package liqpay_test

import (
	"context"
	"testing"
	"time"

	"github.com/paylastic/edge/core/check"
)

// TestRefundSettledLater: a refund answered with a status that is not final
// yet (processing) is accepted; action=status says success until LiqPay
// settles it, then reversed.
func TestRefundSettledLater(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	r, _, p := w.start()
	if err := w.fake.Pay(p.Attempt.ProviderRef, true, ""); err != nil {
		t.Fatal(err)
	}
	w.fake.SetRefundDelay(time.Minute)
	if err := w.lp.Refund(ctx, w.m, r, p.Attempt, r.Amount); err != nil {
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
			ev, err := w.lp.Status(ctx, w.m, r, p.Attempt)
			if err != nil || ev.Status != s.want {
				t.Fatalf("Status = %+v, %v; want %s", ev, err, s.want)
			}
		})
	}
}
