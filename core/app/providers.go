package app

import (
	"context"
	"fmt"
	"net/http"

	"github.com/paylastic/edge/core/admin"
	"github.com/paylastic/edge/core/bank"
	"github.com/paylastic/edge/core/bank/liqpay"
	"github.com/paylastic/edge/core/bank/monobank"
	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/invoice"
	"github.com/paylastic/edge/core/merchant"
	"github.com/paylastic/edge/core/seal"
)

// The real acquirers are always enabled: a merchant uses one once the admin
// API gave it credentials (PUT /admin/merchants/{id}/provider).
// MONOBANK_API_URL and LIQPAY_API_URL point them elsewhere (fakes in tests).
func init() {
	providers[monobank.Name] = func(a *App, env bank.Env) bank.Provider {
		return monobank.New(env, a.Config.MonobankAPIURL)
	}
	providers[liqpay.Name] = func(a *App, env bank.Env) bank.Provider {
		return liqpay.New(env, a.Config.LiqPayAPIURL)
	}
	register(func(a *App, mux *http.ServeMux) {
		(&admin.Providers{
			API:   &admin.API{Token: a.Config.AdminToken, Merchants: a.Merchants, Log: a.Deps.Log},
			Banks: a.registry(),
			Box:   func() (seal.Box, error) { return seal.New(a.Config.DataKey, a.Deps.Rand) },
		}).Register(mux)
	})
}

// registry is the checks service's bank registry, built once per App.
func (a *App) registry() bank.Registry {
	banks, ok := a.Checks.Bank.(bank.Registry)
	if !ok {
		banks = a.Banks()
		a.Checks.Bank = banks
	}
	return banks
}

// Refund returns the payment of a paid check on behalf of the operator who
// created it, through the bank that took it (bank.Refunder), and records
// the reversal as soon as the bank confirms it (its status says reversed);
// otherwise the bank's callback or a later status records it. The operator
// is notified through the check's messenger like of any bank event.
//
// Another operator's check is errs.NotFound; a check that is not paid (or
// already refunded) errs.Conflict; a bank that cannot refund errs.Invalid.
// Bots should ask the operator to confirm first: a refund cannot be undone.
func (a *App) Refund(ctx context.Context, op merchant.Operator, r invoice.Ref) (invoice.State, error) {
	if merchant.OperatorKey(a.Checks.Signer.Key(), op.Messenger, op.UserID) != r.Operator {
		return invoice.State{}, errs.E(errs.NotFound, "no such check")
	}
	st, err := a.Checks.State(ctx, r.ID)
	if err != nil {
		return st, fmt.Errorf("refund %s: %w", r.ID, err)
	}
	if st.Status != invoice.Paid {
		return st, errs.E(errs.Conflict, "check is %s", st.Status)
	}
	var paid *invoice.Attempt
	for i := range st.Attempts {
		if st.Attempts[i].Status == invoice.AttemptSuccess {
			paid = &st.Attempts[i]
		}
	}
	if paid == nil {
		return st, errs.E(errs.Conflict, "check has no successful payment to refund")
	}
	m, err := a.Merchants.Get(ctx, r.Merchant)
	if err != nil {
		return st, fmt.Errorf("refund %s: %w", r.ID, err)
	}
	banks := a.registry()
	prov, err := banks.For(m, *paid)
	if err != nil {
		return st, fmt.Errorf("refund %s: %w", r.ID, err)
	}
	rf, ok := prov.(bank.Refunder)
	if !ok {
		return st, errs.E(errs.Invalid, "bank %s cannot refund", paid.Provider)
	}
	if err := rf.Refund(ctx, m, r, *paid, r.Amount); err != nil {
		return st, fmt.Errorf("refund %s at %s: %w", r.ID, paid.Provider, err)
	}
	a.Deps.Log.Info("refund requested", "check", r.ID, "provider", paid.Provider, "attempt", paid.ProviderRef)
	ev, err := banks.Status(ctx, m, r, *paid)
	if err != nil {
		a.Deps.Log.Warn("refund status", "check", r.ID, "err", err)
		return st, nil
	}
	if ev.Status != invoice.AttemptReversed {
		return st, nil
	}
	return a.Checks.Apply(ctx, r, ev)
}
