package app

import (
	"net/http"

	"github.com/paylastic/edge/core/bank"
	"github.com/paylastic/edge/core/bank/sandbox"
	"github.com/paylastic/edge/core/checks"
	"github.com/paylastic/edge/core/merchant"
	"github.com/paylastic/edge/core/pay"
	"github.com/paylastic/edge/core/seal"
)

// The bank registry is the checks service's Bank and Canceller.
var (
	_ checks.Bank      = bank.Registry{}
	_ checks.Canceller = bank.Registry{}
)

// providers build the banks by name (merchant.Merchant.Provider). A
// provider's wiring file adds itself here from its init; a builder returns
// nil when the configuration leaves its provider off.
var providers = map[string]func(a *App, env bank.Env) bank.Provider{
	sandbox.Name: func(a *App, env bank.Env) bank.Provider {
		if !a.Config.SandboxBank {
			return nil
		}
		return sandbox.New(env)
	},
}

// Banks returns the enabled bank providers. It is cheap: providers parse
// and fetch nothing until a request needs them.
func (a *App) Banks() bank.Registry {
	env := bank.Env{
		HTTP:      a.Deps.HTTP,
		KV:        a.Deps.KV,
		Now:       a.Deps.Now,
		Rand:      a.Deps.Rand,
		Log:       a.Deps.Log,
		Signer:    a.Checks.Signer,
		Merchants: a.Merchants,
		BaseURL:   a.Config.PublicBaseURL,
		Credentials: func(m merchant.Merchant) ([]byte, error) {
			box, err := seal.New(a.Config.DataKey, a.Deps.Rand)
			if err != nil {
				return nil, err
			}
			return box.Open(m.Credentials, []byte(m.ID))
		},
	}
	r := bank.Registry{}
	for name, build := range providers {
		if p := build(a, env); p != nil {
			r[name] = p
		}
	}
	return r
}

func init() {
	register(func(a *App, mux *http.ServeMux) {
		banks, _ := a.Checks.Bank.(bank.Registry) // set by New
		(&pay.Pages{Checks: a.Checks, Banks: banks, BaseURL: a.Config.PublicBaseURL, Log: a.Deps.Log}).Register(mux)
		if sb, ok := banks[sandbox.Name].(*sandbox.Bank); ok {
			sb.Register(mux)
		}
	})
}
