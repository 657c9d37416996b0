package monobank_test

import (
	"context"
	"testing"
	"time"

	"github.com/paylastic/edge/core/bank/banktest"
	"github.com/paylastic/edge/core/bank/monobank"
	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/errs"
)

// TestMapStatus lists every invoice status monobank documents
// (https://api.monobank.ua/docs/acquiring.html, InvoiceStatusResponse) and
// the decision for it.
func TestMapStatus(t *testing.T) {
	tests := []struct {
		in   string
		want check.AttemptStatus
	}{
		{"created", check.AttemptPending},
		{"processing", check.AttemptPending},
		{"hold", check.AttemptPending}, // the product asks for debit only
		{"success", check.AttemptSuccess},
		{"failure", check.AttemptFailure},
		{"reversed", check.AttemptReversed},
		{"expired", check.AttemptExpired},
		// not documented: pending (and logged by Status and Callback)
		{"", check.AttemptPending},
		{"SUCCESS", check.AttemptPending},
		{"new-thing", check.AttemptPending},
	}
	for _, tt := range tests {
		if got := monobank.MapStatus(tt.in); got != tt.want {
			t.Errorf("MapStatus(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

// TestStatus asks invoice/status through an invoice's life.
func TestStatus(t *testing.T) {
	var w *world // the step's, for the bank's own word on its invoice
	newHarness := func(t *testing.T) banktest.Harness { w = newWorld(t); return w.harness() }
	banktest.StatusLife(t, monobank.Name, newHarness, []banktest.Step{
		{Name: "created", Status: check.AttemptPending},
		{Name: "paid", Act: banktest.Paid, Status: check.AttemptSuccess},
		{Name: "declined", Act: banktest.Declined("Неправильний CVV код (3 цифри на звороті картки)"),
			Status: check.AttemptFailure, Reason: "Неправильний CVV код (3 цифри на звороті картки)"},
		{Name: "expired", Act: banktest.After(31 * time.Minute), Status: check.AttemptExpired},
		{Name: "removed", Act: banktest.Cancelled, Status: check.AttemptExpired},
		{Name: "refunded", Act: banktest.Refunded, Status: check.AttemptReversed},
	}, func(t *testing.T, ev check.Event, a check.Attempt) {
		inv, _ := w.fake.Invoice(a.ProviderRef)
		if !ev.Modified.Equal(inv.ModifiedDate) {
			t.Errorf("modified %v, want the bank's %v", ev.Modified, inv.ModifiedDate)
		}
	})
}

// TestStatusNotOurs: an invoice of another check or amount is an error,
// never an event.
func TestStatusNotOurs(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	r, _, p := w.start()
	w.fake.Pay(p.Attempt.ProviderRef, true, "")

	other, _ := w.Check(w.m, 1250)
	if _, err := w.mb.Status(ctx, w.m, other, p.Attempt); err == nil {
		t.Error("an invoice of another check was taken for this one")
	}
	wrong := r
	wrong.Amount = 99
	if _, err := w.mb.Status(ctx, w.m, wrong, p.Attempt); err == nil {
		t.Error("an invoice of another amount was taken for this check")
	}
	if _, err := w.mb.Status(ctx, w.m, r, check.Attempt{ProviderRef: "p2_nosuchinvoice"}); errs.CodeOf(err) != errs.NotFound {
		t.Errorf("unknown invoice: %v, want not found", err)
	}
	if _, err := w.mb.Status(ctx, w.merchant(""), r, p.Attempt); err == nil {
		t.Error("asked the bank without a token")
	}
}
