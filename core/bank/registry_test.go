package bank_test

import (
	"context"
	"testing"

	"github.com/paylastic/edge/core/bank"
	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/merchant"
)

// fake is a provider that says what it was asked.
type fake struct {
	name      string
	cancelled []string
}

func (f *fake) Start(context.Context, bank.Checkout) (bank.Payment, error) {
	return bank.Payment{}, nil
}
func (f *fake) Callback(context.Context, bank.Callback) (bank.Notification, error) {
	return bank.Notification{}, nil
}
func (f *fake) Status(_ context.Context, _ merchant.Merchant, _ check.Ref, a check.Attempt) (check.Event, error) {
	return check.Event{Provider: f.name, ProviderRef: a.ProviderRef, Status: check.AttemptSuccess}, nil
}

type cancelling struct{ fake }

func (c *cancelling) Cancel(_ context.Context, _ merchant.Merchant, _ check.Ref, a check.Attempt) error {
	c.cancelled = append(c.cancelled, a.ProviderRef)
	return nil
}

func TestRegistry(t *testing.T) {
	ctx := context.Background()
	mono := &cancelling{fake{name: "monobank"}}
	r := bank.Registry{"sandbox": &fake{name: "sandbox"}, "monobank": mono, "off": nil}
	tests := []struct {
		name     string
		merchant string // the merchant's provider now
		attempt  string // the provider that started the attempt
		want     string
		code     errs.Code
	}{
		{"the attempt's provider", "monobank", "sandbox", "sandbox", ""},
		{"the merchant's when the attempt says none", "monobank", "", "monobank", ""},
		{"unknown", "liqpay", "", "", errs.NotFound},
		{"switched off", "off", "", "", errs.NotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev, err := r.Status(ctx, merchant.Merchant{Provider: tt.merchant}, check.Ref{}, check.Attempt{Provider: tt.attempt, ProviderRef: "p1"})
			if got := errs.CodeOf(err); got != tt.code {
				t.Fatalf("Status error = %v, want code %q", err, tt.code)
			}
			if ev.Provider != tt.want {
				t.Errorf("asked %q, want %q", ev.Provider, tt.want)
			}
		})
	}
	if err := r.Cancel(ctx, merchant.Merchant{}, check.Ref{}, check.Attempt{Provider: "sandbox", ProviderRef: "s1"}); err != nil {
		t.Errorf("cancel at a provider that cannot = %v, want nil", err)
	}
	if err := r.Cancel(ctx, merchant.Merchant{}, check.Ref{}, check.Attempt{Provider: "monobank", ProviderRef: "m1"}); err != nil || len(mono.cancelled) != 1 {
		t.Errorf("cancel at monobank = %v, cancelled %v", err, mono.cancelled)
	}
	if err := r.Cancel(ctx, merchant.Merchant{}, check.Ref{}, check.Attempt{Provider: "nope"}); errs.CodeOf(err) != errs.NotFound {
		t.Errorf("cancel at an unknown provider = %v", err)
	}
}

func TestReason(t *testing.T) {
	tests := []struct{ text, lang, want string }{
		{"Недостатньо коштів", "uk", "Недостатньо коштів"},
		{"Недостатньо коштів", "en", "Insufficient funds"},
		{"Щось нове", "en", "Щось нове"},
		{"", "en", ""},
	}
	for _, tt := range tests {
		if got := bank.Reason(tt.text, tt.lang); got != tt.want {
			t.Errorf("Reason(%q, %s) = %q, want %q", tt.text, tt.lang, got, tt.want)
		}
	}
}
