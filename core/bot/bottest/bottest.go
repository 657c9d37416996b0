// Package bottest is the conversation the messenger adapters' tests talk
// to: the bot over an in-memory store with one merchant, its checks
// service, and the notifier of the one messenger under test. The adapters
// (telegram, viber) cannot use package app, which imports them.
package bottest

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/paylastic/edge/core/bank"
	"github.com/paylastic/edge/core/bot"
	"github.com/paylastic/edge/core/cas"
	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/checks"
	"github.com/paylastic/edge/core/kv"
	"github.com/paylastic/edge/core/merchant"
	"github.com/paylastic/edge/internal/testsupport"
)

// BaseURL is PUBLIC_BASE_URL of the conversation's links.
const BaseURL = "https://pay.test"

// Conv is the conversation for one messenger, with one merchant
// («Кавʼярня Ранок», the default limit) and its unused activation code.
type Conv struct {
	KV       *kv.Counting
	Signer   check.Signer
	Checks   *checks.Service
	Bot      *bot.Bot
	Merchant merchant.Merchant
	Code     string
}

// New builds the conversation on clock and randomness seeded with seed,
// notifying through chats as messenger ("telegram", "viber"). No bank is
// enabled: the adapters' tests apply bank events directly.
func New(t testing.TB, clock func() time.Time, seed byte, messenger string, chats bot.Chats, log *slog.Logger) *Conv {
	t.Helper()
	c := &Conv{KV: &kv.Counting{Store: kv.NewMem(clock)}, Signer: check.NewSigner("link secret")}
	rnd := testsupport.Rand(seed)
	store := cas.NewMem(clock)
	ms := merchant.Store{DB: store, Now: clock, Rand: rnd, Secret: c.Signer.Key(), DefaultProvider: "sandbox"}
	c.Checks = &checks.Service{
		KV: c.KV, States: store, Now: clock, Rand: rnd, Signer: c.Signer, Merchants: ms, Bank: readyBank{}, Log: log,
		Notifier: &bot.Notifier{Messengers: map[string]bot.Chats{messenger: chats}, Log: log, Merchants: &ms},
	}
	c.Bot = &bot.Bot{Checks: c.Checks, Merchants: ms, Store: store, Now: clock, BaseURL: BaseURL, Log: log}
	var err error
	if c.Merchant, c.Code, err = ms.Create(context.Background(), "Кавʼярня Ранок", 0); err != nil {
		t.Fatal(err)
	}
	return c
}

// readyBank is a bank every merchant is set up with, and that takes no
// payment: the adapters' tests make checks and apply bank events directly.
type readyBank struct{ bank.Registry }

func (readyBank) Ready(merchant.Merchant) error { return nil }
