// Package app wires the product together: one http.Handler for every route
// and one Scheduled entry for the cron pass. New builds every part
// explicitly, in one place, so what the product is made of reads from top to
// bottom there; nothing registers itself. Building must stay cheap (no
// templates parsed, no regexps compiled, no API client dialled): a Worker
// may build the product for every request.
package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/paylastic/edge/core/admin"
	"github.com/paylastic/edge/core/bank"
	"github.com/paylastic/edge/core/bank/liqpay"
	"github.com/paylastic/edge/core/bank/monobank"
	"github.com/paylastic/edge/core/bank/sandbox"
	"github.com/paylastic/edge/core/bot"
	"github.com/paylastic/edge/core/cas"
	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/checks"
	"github.com/paylastic/edge/core/httpx"
	"github.com/paylastic/edge/core/internal/jsonmemo"
	"github.com/paylastic/edge/core/kv"
	"github.com/paylastic/edge/core/merchant"
	"github.com/paylastic/edge/core/pay"
	"github.com/paylastic/edge/core/seal"
	"github.com/paylastic/edge/core/telegram"
	"github.com/paylastic/edge/core/viber"
)

// Deps are the ports the platform provides.
type Deps struct {
	// KV keeps what may lag (records written once, lists, configuration).
	KV kv.Store
	// Store is strongly consistent, with conditional writes: what must
	// happen once (a payment started, a notice sent) is decided there.
	Store cas.Store
	HTTP  *http.Client // outbound HTTP: syumai fetch on Workers, host ABI in the harness
	Now   func() time.Time
	Rand  io.Reader
	// Log receives every log line; nil discards them.
	Log *slog.Logger
}

// App is the product, built from its configuration and ports.
type App struct {
	Config    Config
	Deps      Deps
	Merchants merchant.Store
	Banks     bank.Registry
	Checks    *checks.Service
	Bot       *bot.Bot
	handler   http.Handler
}

// New builds the product: the stores, the banks, the messengers and the
// checks service, then every route on one mux.
func New(cfg Config, d Deps) *App {
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	signer := check.NewSigner(cfg.LinkSecret)
	a := &App{Config: cfg, Deps: d}
	// Decoded and Records: a long-lived instance (the Worker's pool, the
	// harness's) decodes the records its requests read alike once.
	a.Merchants = merchant.Store{DB: d.Store, Now: d.Now, Rand: d.Rand, Secret: signer.Key(), Decoded: merchant.NewDecoded()}
	if cfg.SandboxBank {
		a.Merchants.DefaultProvider = sandbox.Name
	}
	if !cfg.UpgradedFromKV.IsZero() {
		a.Merchants.KV = d.KV // merchants made before the upgrade move over on first read
	}

	// The operator's messengers: a client for each one configured.
	var tg *telegram.Client
	var vb *viber.Client
	notify := &bot.Notifier{Messengers: map[string]bot.Chats{}, Log: d.Log, Merchants: &a.Merchants}
	if cfg.TelegramBotToken != "" {
		tg = &telegram.Client{Token: cfg.TelegramBotToken, APIURL: cfg.TelegramAPIURL, HTTP: d.HTTP}
		notify.Messengers[telegram.Messenger] = tg
	}
	if cfg.ViberAuthToken != "" {
		vb = &viber.Client{Token: cfg.ViberAuthToken, APIURL: cfg.ViberAPIURL, HTTP: d.HTTP, Log: d.Log}
		notify.Messengers[viber.Messenger] = vb
	}

	// The banks: monobank and LiqPay always (a merchant uses one once the
	// admin API gave it credentials), the sandbox when SANDBOX_BANK=1.
	env := bank.Env{
		HTTP: d.HTTP, KV: d.KV, Now: d.Now, Rand: d.Rand, Log: d.Log,
		Signer: signer, Merchants: a.Merchants, BaseURL: cfg.PublicBaseURL,
		Credentials: a.openCredentials,
	}
	a.Banks = bank.Registry{
		monobank.Name: monobank.New(env, cfg.MonobankAPIURL),
		liqpay.Name:   liqpay.New(env, cfg.LiqPayAPIURL),
	}
	var sb *sandbox.Bank
	if cfg.SandboxBank {
		sb = sandbox.New(env)
		a.Banks[sandbox.Name] = sb
	}

	a.Checks = &checks.Service{
		KV: d.KV, States: d.Store, Now: d.Now, Rand: d.Rand, Signer: signer, Merchants: a.Merchants,
		Notifier: notify, Bank: a.Banks, Log: d.Log, TTL: cfg.CheckTTL, StatesInKVBefore: cfg.UpgradedFromKV,
		Records: &jsonmemo.Memo[check.Check]{},
	}
	conv := &bot.Bot{Checks: a.Checks, Merchants: a.Merchants, Store: d.Store, Now: d.Now, BaseURL: cfg.PublicBaseURL, Log: d.Log, Chats: notify.Messengers}
	a.Bot = conv

	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = io.WriteString(w, "ok")
	})
	(&admin.API{Token: cfg.AdminToken, Merchants: a.Merchants, Banks: a.Banks, Box: a.box, Checks: a.Checks, Log: d.Log, Now: d.Now}).Register(mux)
	(&pay.Pages{Checks: a.Checks, Banks: a.Banks, BaseURL: cfg.PublicBaseURL, Log: d.Log}).Register(mux)
	if sb != nil {
		sb.Register(mux)
	}
	// Telegram's webhook needs its secret as well as the token (404 without).
	if tg != nil && cfg.TelegramWebhookSecret != "" {
		mux.Handle("POST "+telegram.WebhookPath, &telegram.Webhook{Secret: cfg.TelegramWebhookSecret, Client: tg, Bot: conv, Now: d.Now, Log: d.Log})
	}
	// Viber's one token both signs its callbacks and authorises the bot.
	if vb != nil {
		mux.Handle("POST "+viber.WebhookPath, &viber.Webhook{Token: cfg.ViberAuthToken, Client: vb, Bot: conv, Now: d.Now, Log: d.Log})
	}
	mux.HandleFunc("/", pay.NotFound(d.Log)) // a page for browsers, JSON for the API
	a.handler = httpx.Recover(d.Log, httpx.Secure(mux))
	return a
}

// Handler returns the product's one http.Handler.
func (a *App) Handler() http.Handler { return a.handler }

// PurgeWindow: a scheduled pass in the first PurgeWindow minutes of an hour
// purges the consistent store (the cron runs every 5 minutes: one pass an hour).
const PurgeWindow = 5

// Scheduled is the cron entry: housekeeping that must not wait for a request.
func (a *App) Scheduled(ctx context.Context, now time.Time) error {
	// The sweep and the daily reports read different records: they run at
	// once, and on the Worker the pass waits for the longer chain of round
	// trips instead of both in turn. Either's failure leaves the other
	// done; the next pass retries what is left.
	reports := make(chan error, 1)
	go func() {
		_, err := a.Bot.DailyReports(ctx, now)
		reports <- err
	}()
	err := a.sweep(ctx, now)
	if rerr := <-reports; rerr != nil {
		err = errors.Join(err, rerr)
	}
	if err != nil {
		return fmt.Errorf("scheduled pass: %w", err)
	}
	return nil
}

// sweep is the pass over the checks, then the hourly purge.
func (a *App) sweep(ctx context.Context, now time.Time) error {
	rep, err := a.Checks.Sweep(ctx, now)
	a.Deps.Log.Info("scheduled pass", "seen", rep.Seen, "expired", rep.Expired, "reconciled", rep.Reconciled, "retried", rep.Retried, "failed", rep.Failed)
	if err != nil {
		return err
	}
	// Expired records of the consistent store are invisible but take rows
	// (D1 bills storage and has a size cap) until deleted: the first pass of
	// each hour deletes them, one statement. Hourly, not every pass: the
	// passes in between stay one query cheaper.
	if now.Minute() < PurgeWindow {
		n, err := a.Deps.Store.Purge(ctx, now)
		if err != nil {
			return fmt.Errorf("purge expired records: %w", err)
		}
		a.Deps.Log.Info("expired records purged", "records", n)
	}
	return nil
}

// box seals and opens merchants' bank credentials with DATA_KEY.
func (a *App) box() (seal.Box, error) { return seal.New(a.Config.DataKey, a.Deps.Rand) }

// openCredentials opens merchant m's sealed bank credentials.
func (a *App) openCredentials(m merchant.Merchant) ([]byte, error) {
	box, err := a.box()
	if err != nil {
		return nil, err
	}
	return box.Open(m.Credentials, []byte(m.ID))
}
