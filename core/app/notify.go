package app

import (
	"context"
	"fmt"

	"github.com/paylastic/edge/core/bot"
	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/checks"
)

// notifiers build each messenger's checks.Notifier, by messenger name
// (check.Chat.Messenger). A messenger's wiring file registers its own.
var notifiers map[string]func(a *App) checks.Notifier

// registerNotifier is called from the init of a messenger's wiring file. f
// returns nil when the messenger is not configured.
func registerNotifier(messenger string, f func(a *App) checks.Notifier) {
	if notifiers == nil {
		notifiers = map[string]func(a *App) checks.Notifier{}
	}
	notifiers[messenger] = f
}

// notifier routes each notice to the messenger its check was created on;
// app.New assigns it to the checks service.
func (a *App) notifier() checks.Notifier { return &notifyRouter{a: a} }

// notifyRouter builds a messenger's notifier on its first notice only, so a
// request that notifies nobody pays nothing for it.
type notifyRouter struct {
	a     *App
	built map[string]checks.Notifier
}

// Notify sends n through the check's messenger. An unknown or unconfigured
// messenger is an error: the notice stays pending until it is configured.
func (r *notifyRouter) Notify(ctx context.Context, chk check.Check, n check.Notice) error {
	m := chk.Chat.Messenger
	to, ok := r.built[m]
	if !ok {
		if f := notifiers[m]; f != nil {
			to = f(r.a)
		}
		if r.built == nil {
			r.built = map[string]checks.Notifier{}
		}
		r.built[m] = to
	}
	if to == nil {
		return fmt.Errorf("notify %s: messenger %q is not configured", chk.ID, m)
	}
	return to.Notify(ctx, chk, n)
}

// conversation is the operator's bot, the same for every messenger.
func (a *App) conversation() *bot.Bot {
	return &bot.Bot{
		Checks:    a.Checks,
		Merchants: a.Merchants,
		KV:        a.Deps.KV,
		Now:       a.Deps.Now,
		BaseURL:   a.Config.PublicBaseURL,
		Refunds:   a,
		Log:       a.Deps.Log,
	}
}
