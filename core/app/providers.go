package app

import (
	"net/http"

	"github.com/paylastic/edge/core/admin"
	"github.com/paylastic/edge/core/bank"
	"github.com/paylastic/edge/core/bank/liqpay"
	"github.com/paylastic/edge/core/bank/monobank"
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
