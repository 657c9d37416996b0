package bank_test

import (
	"context"
	"strings"
	"testing"

	"github.com/paylastic/edge/core/bank"
	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/merchant"
	"github.com/paylastic/edge/core/money"
)

// fake is a provider that says what it was asked.
type fake struct {
	name      string
	cancelled []string
	refunded  []string
}

func (f *fake) Start(_ context.Context, c bank.Checkout) (bank.Payment, error) {
	return bank.Payment{Attempt: check.Attempt{Provider: f.name}}, nil
}
func (f *fake) Resume(_ context.Context, _ bank.Checkout, a check.Attempt) (bank.Redirect, error) {
	return bank.ResumeAt(a)
}
func (f *fake) Callback(context.Context, bank.Callback) (bank.Notification, error) {
	return bank.Notification{}, nil
}
func (f *fake) Status(_ context.Context, _ merchant.Merchant, _ check.Ref, a check.Attempt) (check.Event, error) {
	return check.Event{Provider: f.name, ProviderRef: a.ProviderRef, Status: check.AttemptSuccess}, nil
}
func (f *fake) Cancel(_ context.Context, _ merchant.Merchant, _ check.Ref, a check.Attempt) error {
	f.cancelled = append(f.cancelled, a.ProviderRef)
	return nil
}
func (f *fake) Refund(_ context.Context, _ merchant.Merchant, _ check.Ref, a check.Attempt, _ money.Amount) error {
	f.refunded = append(f.refunded, a.ProviderRef)
	return nil
}
func (f *fake) CheckCredentials(raw []byte) ([]byte, error) { return bank.NoCredentials(f.name, raw) }
func (f *fake) MaskCredentials([]byte) map[string]string    { return nil }

func TestRegistry(t *testing.T) {
	ctx := context.Background()
	sb, mono := &fake{name: "sandbox"}, &fake{name: "monobank"}
	r := bank.Registry{"sandbox": sb, "monobank": mono, "off": nil}
	tests := []struct {
		name     string
		merchant string // the merchant's provider now
		attempt  string // the provider that started the attempt
		want     string
		code     errs.Code
	}{
		{"the attempt's provider", "monobank", "sandbox", "sandbox", ""},
		{"the merchant's when the attempt says none", "monobank", "", "monobank", ""},
		{"unknown", "liqpay", "", "", errs.Refused},
		{"switched off", "off", "", "", errs.Refused},
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
	if err := r.Cancel(ctx, merchant.Merchant{Provider: "sandbox"}, check.Ref{}, check.Attempt{Provider: "monobank", ProviderRef: "m1"}); err != nil || len(mono.cancelled) != 1 || len(sb.cancelled) != 0 {
		t.Errorf("cancel of a monobank attempt = %v, cancelled at monobank %v, at sandbox %v", err, mono.cancelled, sb.cancelled)
	}
	if err := r.Refund(ctx, merchant.Merchant{Provider: "monobank"}, check.Ref{}, check.Attempt{Provider: "sandbox", ProviderRef: "s1"}, 100); err != nil || len(sb.refunded) != 1 || len(mono.refunded) != 0 {
		t.Errorf("refund of a sandbox attempt = %v, refunded at sandbox %v, at monobank %v", err, sb.refunded, mono.refunded)
	}
	if p, err := r.Start(ctx, bank.Checkout{Merchant: merchant.Merchant{Provider: "monobank"}}); err != nil || p.Attempt.Provider != "monobank" {
		t.Errorf("start for a monobank merchant = %+v, %v", p, err)
	}
	if _, err := r.Start(ctx, bank.Checkout{Merchant: merchant.Merchant{Provider: "off"}}); errs.CodeOf(err) != errs.Refused {
		t.Errorf("start at a provider switched off = %v, want refused", err)
	}
	if _, err := r.Provider("off"); errs.CodeOf(err) != errs.NotFound {
		t.Errorf("a callback route of a provider switched off = %v, want not found", err)
	}
	if got := r.Names(); len(got) != 2 || got[0] != "monobank" || got[1] != "sandbox" {
		t.Errorf("Names = %v, want [monobank sandbox]", got)
	}
	if err := r.Cancel(ctx, merchant.Merchant{}, check.Ref{}, check.Attempt{Provider: "nope"}); errs.CodeOf(err) != errs.Refused {
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

func TestCallbackURL(t *testing.T) {
	for _, tt := range []struct{ callback, want string }{
		{"https://pay.example/bank/monobank/callback", "https://pay.example/bank/monobank/callback?ref=a-b_c"},
		{"https://pay.example/cb?x=1", "https://pay.example/cb?x=1&ref=a-b_c"},
	} {
		if got := bank.CallbackURL(tt.callback, "a-b_c"); got != tt.want {
			t.Errorf("CallbackURL(%q) = %q, want %q", tt.callback, got, tt.want)
		}
	}
	if got := bank.CallbackURL("x", "a+b"); !strings.HasSuffix(got, "ref=a%2Bb") {
		t.Errorf("not escaped: %q", got)
	}
}

func TestPurpose(t *testing.T) {
	for _, tt := range []struct {
		name, lang string
		max        int
		want       string
	}{
		{"Кавʼярня", "uk", 100, "Оплата: Кавʼярня"},
		{" Cafe ", "en", 100, "Payment: Cafe"},
		{"Кавʼярня Ранок", "uk", 12, "Оплата: Кав…"},
	} {
		if got := bank.Purpose(tt.name, tt.lang, tt.max); got != tt.want {
			t.Errorf("Purpose(%q, %s, %d) = %q, want %q", tt.name, tt.lang, tt.max, got, tt.want)
		}
	}
}

func (f *fake) VerifyCredentials(context.Context, []byte) error { return nil }
