// Package bottest is the conversation the messenger adapters' tests talk
// to: the bot over an in-memory store with one merchant, its checks
// service, and the notifier of the one messenger under test. The adapters
// (telegram, viber) cannot use package app, which imports them.
package bottest

import (
	"context"
	"log/slog"
	"strings"
	"sync"
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

// PayThroughSweep is the retry of a refused notice, the same on every
// messenger: the check of short is paid while the messenger refuses the
// next send (refuse arms that refusal), so the notice stays pending; once
// the failed send's claim lapses (*now moves on), the scheduled pass
// delivers it, and sent, the texts the chat received, holds one «✅».
func (c *Conv) PayThroughSweep(t testing.TB, op merchant.Operator, short string, now *time.Time, refuse func(), sent func() []string) {
	t.Helper()
	ctx := context.Background()
	chk, err := c.Checks.Lookup(ctx, op, short)
	if err != nil {
		t.Fatal(err)
	}
	refuse()
	st, err := c.Checks.Apply(ctx, chk.Ref(), check.Event{Provider: "sandbox", ProviderRef: "p1", Status: check.AttemptSuccess, Modified: *now})
	if err != nil || len(st.Pending) != 1 {
		t.Fatalf("after a refused notice: state %+v, %v; want the notice pending", st, err)
	}
	*now = now.Add(checks.ClaimLease)
	if _, err := c.Checks.Sweep(ctx, *now); err != nil {
		t.Fatal(err)
	}
	if st, err = c.Checks.State(ctx, chk.Ref()); err != nil || len(st.Pending) != 0 || !st.WasNotified("paid") {
		t.Errorf("after the scheduled pass: %+v, %v", st, err)
	}
	paid := 0
	for _, text := range sent() {
		if strings.HasPrefix(text, "✅") {
			paid++
		}
	}
	if paid != 1 {
		t.Errorf("paid notices delivered = %d, want 1", paid)
	}
}

// AtOnce makes n deliveries of one update at the same time and returns
// what each was answered.
func AtOnce(n int, deliver func() int) []int {
	codes := make([]int, n)
	var wg sync.WaitGroup
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = deliver()
		}()
	}
	wg.Wait()
	return codes
}

// BenchAmounts runs b.N amount messages through send, moving *now on a
// minute every 50 (outside the timer) so that they stay within the
// messenger's clock window of fresh messages.
func BenchAmounts(b *testing.B, now *time.Time, send func()) {
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i%50 == 0 {
			b.StopTimer()
			*now = now.Add(time.Minute)
			b.StartTimer()
		}
		send()
	}
}
