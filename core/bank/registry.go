package bank

import (
	"context"
	"fmt"

	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/merchant"
)

// Registry holds the enabled providers by name ("sandbox", "monobank",
// "liqpay"), the names merchant.Merchant.Provider and check.Attempt.Provider
// use. It implements checks.Bank and checks.Canceller by asking the provider
// that started the attempt.
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

// For returns the provider of an attempt: the one that started it, or the
// merchant's for an attempt that does not say.
func (r Registry) For(m merchant.Merchant, a check.Attempt) (Provider, error) {
	name := a.Provider
	if name == "" {
		name = m.Provider
	}
	p, err := r.Provider(name)
	if err != nil {
		return nil, fmt.Errorf("bank %q: %w", name, err)
	}
	return p, nil
}

// Status asks the attempt's provider where it stands (checks.Bank).
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

// Cancel withdraws an unpaid attempt at its provider, if the provider can
// (checks.Canceller); for the others it does nothing.
func (r Registry) Cancel(ctx context.Context, m merchant.Merchant, ref check.Ref, a check.Attempt) error {
	p, err := r.For(m, a)
	if err != nil {
		return err
	}
	c, ok := p.(Canceller)
	if !ok {
		return nil
	}
	if err := c.Cancel(ctx, m, ref, a); err != nil {
		return fmt.Errorf("cancel %s at %s: %w", a.ProviderRef, a.Provider, err)
	}
	return nil
}
