package monobank_test

import (
	"context"
	"testing"
	"time"

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
	tests := []struct {
		name       string
		act        func(w *world, id string)
		wantStatus check.AttemptStatus
		wantReason string
	}{
		{"created", func(*world, string) {}, check.AttemptPending, ""},
		{"paid", func(w *world, id string) { w.fake.Pay(id, true, "") }, check.AttemptSuccess, ""},
		{"declined", func(w *world, id string) {
			w.fake.Pay(id, false, "Неправильний CVV код (3 цифри на звороті картки)")
		},
			check.AttemptFailure, "Неправильний CVV код (3 цифри на звороті картки)"},
		{"expired", func(w *world, _ string) { w.Clock.Advance(31 * time.Minute) }, check.AttemptExpired, ""},
		{"removed", func(w *world, id string) {
			r, _ := w.Signer.Decode(w.fake.Invoices()[0].MerchantPaymInfo.Reference)
			if err := w.mb.Cancel(context.Background(), w.m, r, check.Attempt{ProviderRef: id}); err != nil {
				t.Errorf("Cancel: %v", err)
			}
		}, check.AttemptExpired, ""},
		{"refunded", func(w *world, id string) {
			w.fake.Pay(id, true, "")
			r, _ := w.Signer.Decode(w.fake.Invoices()[0].MerchantPaymInfo.Reference)
			if err := w.mb.Refund(context.Background(), w.m, r, check.Attempt{ProviderRef: id}, r.Amount); err != nil {
				t.Errorf("Refund: %v", err)
			}
			w.fake.Wait()
		}, check.AttemptReversed, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			r, _, p := w.start()
			tt.act(w, p.Attempt.ProviderRef)
			ev, err := w.mb.Status(context.Background(), w.m, r, p.Attempt)
			if err != nil {
				t.Fatalf("Status: %v", err)
			}
			if ev.Status != tt.wantStatus || ev.Reason != tt.wantReason || ev.ProviderRef != p.Attempt.ProviderRef || ev.Provider != monobank.Name {
				t.Errorf("Status = %+v, want %s %q", ev, tt.wantStatus, tt.wantReason)
			}
			inv, _ := w.fake.Invoice(p.Attempt.ProviderRef)
			if !ev.Modified.Equal(inv.ModifiedDate) {
				t.Errorf("modified %v, want the bank's %v", ev.Modified, inv.ModifiedDate)
			}
		})
	}
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
