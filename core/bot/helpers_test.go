package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/paylastic/edge/core/bank"
	"github.com/paylastic/edge/core/cas"
	"github.com/paylastic/edge/core/cas/castest"
	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/checks"
	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/kv"
	"github.com/paylastic/edge/core/merchant"
	"github.com/paylastic/edge/core/money"
	"github.com/paylastic/edge/internal/kvfault"
	"github.com/paylastic/edge/internal/testsupport"
)

var errDown = errors.New("kv down")

// world is a bot over an in-memory store with one merchant.
type world struct {
	t      *testing.T
	now    time.Time
	kv     *kv.Counting
	kvDown *kvfault.Switch // fails the KV store's reads or writes
	db     *castest.Faulty // the consistent store
	bot    *Bot
	bank   *refundBank
	m      merchant.Merchant
	code   string // the merchant's first activation code, unused
	msgID  int
	who    string // the user events come from; empty: user
}

func newWorld(t *testing.T) *world {
	t.Helper()
	w := &world{t: t, now: testsupport.T0}
	clock := func() time.Time { return w.now }
	w.kvDown = &kvfault.Switch{Err: errDown}
	w.kv = &kv.Counting{Store: kvfault.Store{Store: kv.NewMem(clock), Fail: w.kvDown.Fail}}
	rnd := testsupport.Rand(7)
	signer := check.NewSigner("test link secret")
	log := testsupport.Discard()
	w.bank = &refundBank{w: w, refunds: true}
	w.db = &castest.Faulty{Store: cas.NewMem(clock)}
	store := w.db
	ms := merchant.Store{DB: store, Now: clock, Rand: rnd, Secret: signer.Key(), DefaultProvider: "sandbox"}
	svc := &checks.Service{KV: w.kv, States: store, Now: clock, Rand: rnd, Signer: signer, Merchants: ms,
		Notifier: &Notifier{Log: log}, Bank: w.bank, Log: log}
	w.bot = &Bot{Checks: svc, Merchants: ms, Store: store, Now: clock, BaseURL: "https://pay.test", Log: log}
	m, code, err := ms.Create(context.Background(), "Кавʼярня Ранок", 5000*money.Hryvnia)
	if err != nil {
		t.Fatal(err)
	}
	w.m, w.code = m, code
	return w
}

// recorder is a Sender that records replies and fails on demand.
type recorder struct {
	replies []Reply
	fail    map[ReplyKind]error
}

func (r *recorder) PicturesByURL() bool { return false }

func (r *recorder) Send(_ context.Context, rep Reply) error {
	if err := r.fail[rep.Kind]; err != nil {
		return err
	}
	r.replies = append(r.replies, rep)
	return nil
}

const user = "1001"

// event makes an event from user in lang at the world's clock, with a new
// message identity.
func (w *world) event(kind Kind, lang, text string) Event {
	w.msgID++
	u, name := user, "Оля"
	if w.who != "" {
		u, name = w.who, "Петро"
	}
	ev := Event{Kind: kind, Messenger: "test", UserID: u, ChatID: u, Name: name, Lang: lang, At: w.now,
		Identity: fmt.Sprintf("test:%s:%d", u, w.msgID)}
	switch kind {
	case Callback:
		ev.Data = text
	case Press:
		ev.Button, _ = ParseButton(text)
	default:
		ev.Text = text
	}
	return ev
}

// handle runs ev and returns the replies.
func (w *world) handle(ev Event) []Reply {
	w.t.Helper()
	var r recorder
	if err := w.bot.Handle(context.Background(), ev, &r); err != nil {
		w.t.Fatalf("Handle(%+v) = %v", ev, err)
	}
	return r.replies
}

// activate binds user to the merchant.
func (w *world) activate(lang string) {
	w.t.Helper()
	w.handle(w.event(Text, lang, w.code))
}

// render prints replies as a transcript line per reply, for golden files.
func render(replies []Reply) string {
	var b strings.Builder
	for _, r := range replies {
		fmt.Fprintf(&b, "[%s]\n%s\n", r.Kind, r.Text)
		if r.Picture != nil {
			fmt.Fprintf(&b, "  picture: %d bytes PNG, url %s\n", len(r.Picture.PNG), r.Picture.URL)
		}
		if len(r.Keyboard) > 0 {
			var labels []string
			for _, k := range r.Keyboard {
				labels = append(labels, k.Text)
			}
			fmt.Fprintf(&b, "  keyboard: %s\n", strings.Join(labels, " | "))
		}
		if r.NoKeyboard {
			b.WriteString("  no keyboard\n")
		}
		for _, in := range r.Inline {
			if in.URL != "" {
				fmt.Fprintf(&b, "  inline: %s -> open %s\n", in.Text, in.URL)
				continue
			}
			fmt.Fprintf(&b, "  inline: %s -> %s\n", in.Text, in.Data)
		}
	}
	return b.String()
}

// refundBank plays the bank of the tests' payments (checks.Bank): a refund
// reverses the payment, which Status then reports a second later; with
// refunds off the bank says it cannot refund (errs.Invalid).
type refundBank struct {
	w        *world
	refunds  bool
	reversed map[string]bool
	notReady error // what Ready answers (nil: the merchant is set up)
	refuses  bool  // refunds refused for good (a revoked token)
}

func (b *refundBank) Start(context.Context, bank.Checkout) (bank.Payment, error) {
	return bank.Payment{}, errors.New("refundBank: no payments start in bot tests")
}

func (b *refundBank) Resume(_ context.Context, _ bank.Checkout, a check.Attempt) (bank.Redirect, error) {
	return bank.ResumeAt(a)
}

func (b *refundBank) Status(_ context.Context, _ merchant.Merchant, _ check.Ref, a check.Attempt) (check.Event, error) {
	ev := check.Event{Provider: a.Provider, ProviderRef: a.ProviderRef, Status: a.Status, Modified: a.Modified}
	if b.reversed[a.ProviderRef] {
		ev.Status, ev.Modified = check.AttemptReversed, b.w.now.Add(time.Second)
	}
	return ev, nil
}

func (b *refundBank) Cancel(context.Context, merchant.Merchant, check.Ref, check.Attempt) error {
	return nil
}

func (b *refundBank) Refund(_ context.Context, _ merchant.Merchant, _ check.Ref, a check.Attempt, _ money.Amount) error {
	if b.refuses {
		return errs.E(errs.Refused, "monobank refused the merchant's token")
	}
	if !b.refunds {
		return errs.E(errs.Invalid, "this bank cannot refund")
	}
	if b.reversed == nil {
		b.reversed = map[string]bool{}
	}
	b.reversed[a.ProviderRef] = true
	return nil
}

func (b *refundBank) Ready(merchant.Merchant) error { return b.notReady }
