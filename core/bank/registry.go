package bank

import (
	"context"
	"fmt"
	"slices"

	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/merchant"
	"github.com/paylastic/edge/core/money"
)

// Registry holds the enabled providers by name ("sandbox", "monobank",
// "liqpay"), the names merchant.Merchant.Provider and check.Attempt.Provider
// use. It implements checks.Bank: a new payment goes to the merchant's
// provider, everything about an attempt to the provider that started it.
type Registry map[string]Provider

// Provider returns the provider called name; errs.NotFound if it is unknown
// or not enabled in this deployment.
func (r Registry) Provider(name string) (Provider, error) {
	p, ok := r[name]
	if !ok || p == nil {
		return nil, errs.E(errs.NotFound, "no such bank provider")
	}
	return p, nil
}

// Names lists the enabled providers, sorted.
func (r Registry) Names() []string {
	names := make([]string, 0, len(r))
	for n, p := range r {
		if p != nil {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	return names
}

// For returns the provider of an attempt: the one that started it, or the
// merchant's for an attempt that does not say.
func (r Registry) For(m merchant.Merchant, a check.Attempt) (Provider, error) {
	name := a.Provider
	if name == "" {
		name = m.Provider
	}
	p, err := r.Provider(name)
	if err != nil {
		return nil, errs.Wrap(errs.Refused, err, fmt.Sprintf("bank %q is not enabled here", name))
	}
	return p, nil
}

// Start starts a payment at the merchant's provider.
func (r Registry) Start(ctx context.Context, c Checkout) (Payment, error) {
	p, err := r.For(c.Merchant, check.Attempt{})
	if err != nil {
		return Payment{}, err
	}
	return p.Start(ctx, c)
}

// Resume sends the buyer back to an unfinished attempt, through the
// provider that started it.
func (r Registry) Resume(ctx context.Context, c Checkout, a check.Attempt) (Redirect, error) {
	p, err := r.For(c.Merchant, a)
	if err != nil {
		return Redirect{}, err
	}
	return p.Resume(ctx, c, a)
}

// Status asks the attempt's provider where it stands.
func (r Registry) Status(ctx context.Context, m merchant.Merchant, ref check.Ref, a check.Attempt) (check.Event, error) {
	p, err := r.For(m, a)
	if err != nil {
		return check.Event{}, err
	}
	ev, err := p.Status(ctx, m, ref, a)
	if err != nil {
		return ev, fmt.Errorf("status of %s at %s: %w", a.ProviderRef, a.Provider, err)
	}
	return ev, nil
}

// Cancel withdraws an unpaid attempt at its provider.
func (r Registry) Cancel(ctx context.Context, m merchant.Merchant, ref check.Ref, a check.Attempt) error {
	p, err := r.For(m, a)
	if err != nil {
		return err
	}
	if err := p.Cancel(ctx, m, ref, a); err != nil {
		return fmt.Errorf("cancel %s at %s: %w", a.ProviderRef, a.Provider, err)
	}
	return nil
}

// Refund returns a successful attempt through its provider.
func (r Registry) Refund(ctx context.Context, m merchant.Merchant, ref check.Ref, a check.Attempt, amount money.Amount) error {
	p, err := r.For(m, a)
	if err != nil {
		return err
	}
	if err := p.Refund(ctx, m, ref, a, amount); err != nil {
		return fmt.Errorf("refund %s at %s: %w", a.ProviderRef, a.Provider, err)
	}
	return nil
}

// Ready says whether merchant m can take payments here: its provider is
// enabled, and takes its credentials if it needs some. It does not call the
// bank: a bank that refuses them is learnt from the first payment. A
// merchant without a provider ("no bank yet") is not ready.
func (r Registry) Ready(m merchant.Merchant) error {
	if m.Provider == "" {
		return errs.E(errs.Refused, "the merchant has no bank yet")
	}
	p, err := r.For(m, check.Attempt{})
	if err != nil {
		return err
	}
	if len(m.Credentials) == 0 {
		if _, err := p.CheckCredentials(nil); err != nil {
			return errs.E(errs.Refused, "the merchant has no %s credentials", m.Provider)
		}
	}
	return nil
}

// Refused reports whether err is a bank's refusal for good (errs.Refused):
// the merchant's credentials or setup are wrong, and retrying cannot help.
// Every other failure of a bank call is temporary.
func Refused(err error) bool { return errs.CodeOf(err) == errs.Refused }
