// Package app wires the product together: one http.Handler for every route
// and one Scheduled entry for the cron pass (DESIGN §3). It is built anew for
// every request, as Workers run a fresh instance per request, so building it
// must stay cheap: no templates parsed, no regexps compiled here.
package app

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/paylastic/edge/core/admin"
	"github.com/paylastic/edge/core/checks"
	"github.com/paylastic/edge/core/httpx"
	"github.com/paylastic/edge/core/invoice"
	"github.com/paylastic/edge/core/kv"
	"github.com/paylastic/edge/core/merchant"
	"github.com/paylastic/edge/core/pay"
)

// Deps are the ports the platform provides.
type Deps struct {
	KV   kv.Store
	HTTP *http.Client // outbound HTTP: syumai fetch on Workers, host ABI in the harness
	Now  func() time.Time
	Rand io.Reader
	Log  *slog.Logger
}

// App is the product for one request or one scheduled pass.
type App struct {
	Config    Config
	Deps      Deps
	Merchants merchant.Store
	Checks    *checks.Service
}

// New builds the product from its configuration and ports.
func New(cfg Config, d Deps) *App {
	if d.Log == nil {
		d.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	signer := invoice.NewSigner(cfg.LinkSecret)
	ms := merchant.Store{KV: d.KV, Now: d.Now, Rand: d.Rand, Secret: signer.Key()}
	a := &App{Config: cfg, Deps: d, Merchants: ms}
	a.Checks = &checks.Service{KV: d.KV, Now: d.Now, Rand: d.Rand, Signer: signer, Merchants: ms, Log: d.Log, TTL: cfg.CheckTTL}
	a.Checks.Notifier = a.notifier()
	a.Checks.Bank = a.Banks()
	return a
}

// Handler returns the product's one http.Handler.
func (a *App) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = io.WriteString(w, "ok")
	})
	(&admin.API{Token: a.Config.AdminToken, Merchants: a.Merchants, Log: a.Deps.Log}).Register(mux)
	for _, r := range registrars {
		r(a, mux)
	}
	mux.HandleFunc("/", pay.NotFound(a.Deps.Log)) // a page for browsers, JSON for the API
	return httpx.Recover(a.Deps.Log, httpx.Secure(mux))
}

// Scheduled is the cron entry: housekeeping that must not wait for a request.
func (a *App) Scheduled(ctx context.Context, now time.Time) error {
	rep, err := a.Checks.Sweep(ctx, now)
	a.Deps.Log.Info("scheduled pass", "seen", rep.Seen, "expired", rep.Expired, "reconciled", rep.Reconciled, "retried", rep.Retried, "failed", rep.Failed)
	if err != nil {
		return fmt.Errorf("scheduled pass: %w", err)
	}
	return nil
}
