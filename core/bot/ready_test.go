package bot

import (
	"context"
	"strings"
	"testing"

	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/merchant"
)

// TestNoQRNobodyCanPay: a merchant whose bank is not set up, or that the
// admin disabled, gets no QR: the cashier is told why, once, and nothing is
// written (a QR handed out would meet every buyer with an error page).
func TestNoQRNobodyCanPay(t *testing.T) {
	tests := []struct {
		name  string
		setup func(w *world)
		want  string
	}{
		{"no bank yet", func(w *world) { w.bank.notReady = errs.E(errs.Refused, "the merchant has no bank yet") }, "не налаштовано"},
		{"disabled", func(w *world) {
			if _, err := w.bot.Merchants.Update(context.Background(), w.m.ID, func(m *merchant.Merchant) error {
				m.Disabled = w.now
				return nil
			}); err != nil {
				t.Fatal(err)
			}
		}, "вимкнено"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			w.activate("uk")
			tt.setup(w)
			before := w.kv.Snapshot()
			replies := w.handle(w.event(Text, "uk", "12,50"))
			if got := kinds(replies); got != "message" || !strings.Contains(replies[0].Text, tt.want) {
				t.Errorf("replies %s; want one message saying %q", render(replies), tt.want)
			}
			if got := w.kv.Snapshot().Sub(before).Puts; got != 0 {
				t.Errorf("KV writes = %d, want 0 (no check)", got)
			}
		})
	}
}
