package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/paylastic/edge/core/app"
	"github.com/paylastic/edge/core/bank/sandbox"
	"github.com/paylastic/edge/core/cas"
	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/kv"
	fakeliqpay "github.com/paylastic/edge/fakes/liqpay"
	fakemono "github.com/paylastic/edge/fakes/monobank"
	tgfake "github.com/paylastic/edge/fakes/telegram"
	"github.com/paylastic/edge/internal/testsupport"
	"github.com/paylastic/edge/wasm/hosttest"
)

const (
	buyerTGToken  = "123456:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	buyerTGSecret = "test-webhook-secret"
	buyerChat     = int64(4242)

	sbCardPaid     = "4242 4242 4242 4242"
	sbCardDeclined = "4000 0000 0000 0002"
)

// shop is the product on the harness with a merchant whose operator chats
// with the bot on a fake Telegram. With fakeAcquirers (or fakeAcquirersTLS)
// the fake monobank and LiqPay run too, on the harness's clock, and the
// merchant can be switched to either (acquirer_helpers_test.go); without,
// mono and liq are nil.
type shop struct {
	t        testing.TB
	env      *hosttest.Env
	tg       *tgfake.Server
	update   int
	msg      int
	merchant string // the merchant's id

	mono    *fakemono.Server
	liq     *fakeliqpay.Server
	monoURL string // the fakes' base URLs
	liqURL  string
}

// shopOption adds to what newShop starts.
type shopOption func(*shopConfig)

type shopConfig struct {
	// serveAcquirers serves the fake acquirers; nil: none.
	serveAcquirers func(http.Handler) *httptest.Server
}

var (
	// fakeAcquirers starts the fakes of monobank and LiqPay and points the
	// guest at them (MONOBANK_API_URL, LIQPAY_API_URL). The merchant stays on
	// the sandbox until switched.
	fakeAcquirers shopOption = func(c *shopConfig) { c.serveAcquirers = httptest.NewServer }
	// fakeAcquirersTLS is fakeAcquirers served over https, as the real banks
	// are: a browser's form may post only to https (the pages' CSP), and the
	// guest trusts the fakes' test certificate.
	fakeAcquirersTLS shopOption = func(c *shopConfig) { c.serveAcquirers = httptest.NewTLSServer }
)

// newShop starts the guest, registers a merchant through the admin API and
// activates the operator in Telegram, at once.
func newShop(t testing.TB, o hosttest.Options, opts ...shopOption) *shop {
	t.Helper()
	var cfg shopConfig
	for _, opt := range opts {
		opt(&cfg)
	}
	s := &shop{t: t, tg: tgfake.New(buyerTGToken)}
	tgSrv := httptest.NewServer(s.tg)
	t.Cleanup(tgSrv.Close)
	if o.Env == nil {
		o.Env = map[string]string{}
	}
	o.Env["TELEGRAM_BOT_TOKEN"] = buyerTGToken
	o.Env["TELEGRAM_WEBHOOK_SECRET"] = buyerTGSecret
	o.Env["TELEGRAM_API_URL"] = tgSrv.URL
	var tlsClient *http.Client
	if serve := cfg.serveAcquirers; serve != nil {
		s.mono, s.liq = fakemono.New(acqMonoToken), fakeliqpay.New(acqLiqPublic, acqLiqPrivate)
		now := func() time.Time { return s.env.Clock.Now() } // set before either fake serves
		s.mono.Now, s.liq.Now = now, now
		monoSrv := serve(s.mono)
		t.Cleanup(monoSrv.Close)
		liqSrv := serve(s.liq)
		t.Cleanup(liqSrv.Close)
		s.monoURL, s.liqURL = monoSrv.URL, liqSrv.URL
		o.Env["MONOBANK_API_URL"] = monoSrv.URL
		o.Env["LIQPAY_API_URL"] = liqSrv.URL
		if liqSrv.TLS != nil {
			tlsClient = liqSrv.Client() // both test servers share httptest's one certificate
		}
	}
	s.env = hosttest.Start(t, o)
	if tlsClient != nil {
		s.env.Outbound.Use(tlsClient.Transport)
	}

	st, body := adminCall(t, s.env.URL, "POST", "/admin/merchants", `{"name":"Кавʼярня «Ранок»","max_amount":"5000"}`)
	code := activationCode(t, st, body)
	// No wait for KV to settle, even with Options.Lag: merchants and
	// operators are in the consistent store, so a merchant registered a
	// second ago is already everywhere (a KV merchant once made its links
	// answer 503 at other locations for a minute).
	s.say(code)
	items, err := s.env.States.List(context.Background(), "m:", "", cas.MaxList)
	if err != nil || len(items) != 1 {
		t.Fatalf("merchants in the store: %v, %v; want one", items, err)
	}
	s.merchant = strings.TrimPrefix(items[0].Key, "m:")
	return s
}

// say sends the operator's text message to the bot's webhook.
func (s *shop) say(text string) { s.t.Helper(); s.sayAs(buyerChat, "Оля", text) }

// sayIn is the operator's text message from an app in lang.
func (s *shop) sayIn(lang, text string) { s.t.Helper(); s.sayFrom(buyerChat, "Оля", lang, text) }

// sayAs sends a text message from a Telegram user of the shop (the
// operator, or another of its staff).
func (s *shop) sayAs(chat int64, name, text string) { s.t.Helper(); s.sayFrom(chat, name, "uk", text) }

// sayFrom is a text message from chat, a Telegram user named name whose
// app is in lang.
func (s *shop) sayFrom(chat int64, name, lang, text string) {
	s.t.Helper()
	s.update++
	s.msg++
	s.webhook(map[string]any{
		"update_id": s.update,
		"message": map[string]any{
			"message_id": s.msg, "date": s.env.Clock.Now().Unix(), "text": text,
			"chat": map[string]any{"id": chat, "type": "private", "first_name": name},
			"from": map[string]any{"id": chat, "is_bot": false, "first_name": name, "language_code": lang},
		},
	})
}

// press sends the operator's press of an inline button under message.
func (s *shop) press(m tgfake.Message, data string) { s.t.Helper(); s.pressAs(buyerChat, m, data) }

// pressAs sends chat's press of an inline button with data under m, as
// Telegram delivers it (a photo message's callback carries its photo).
func (s *shop) pressAs(chat int64, m tgfake.Message, data string) {
	s.t.Helper()
	s.update++
	msg := map[string]any{"message_id": m.ID, "date": m.Date.Unix(), "chat": map[string]any{"id": chat, "type": "private"}}
	if m.Photo != "" {
		msg["photo"] = []map[string]any{{"file_id": m.Photo, "file_unique_id": "u", "width": 512, "height": 512}}
		msg["caption"] = m.Plain
	} else {
		msg["text"] = m.Plain
	}
	s.webhook(map[string]any{
		"update_id": s.update,
		"callback_query": map[string]any{
			"id": fmt.Sprint(1000 + s.update), "data": data, "chat_instance": "1",
			"from":    map[string]any{"id": chat, "is_bot": false, "first_name": "Оля", "language_code": "uk"},
			"message": msg,
		},
	})
}

func (s *shop) webhook(update map[string]any) {
	s.t.Helper()
	body, _ := json.Marshal(update)
	if code := deliver(s.t, s.env.URL+"/telegram/webhook", body, "X-Telegram-Bot-Api-Secret-Token", buyerTGSecret); code != 200 {
		s.t.Fatalf("telegram webhook = %d", code)
	}
}

// inlineData returns the callback data of the inline button of m whose data
// starts with prefix.
func inlineData(t testing.TB, m tgfake.Message, prefix string) string {
	t.Helper()
	d, ok := m.InlineButton(prefix)
	if !ok {
		t.Fatalf("no %q button under %q (%s)", prefix, m.Plain, m.ReplyMarkup)
	}
	return d
}

// newCheck has the operator create a check of amount and returns the
// payment link and the bot's picture message.
func (s *shop) newCheck(amount string) (string, tgfake.Message) {
	s.t.Helper()
	s.say(amount)
	msgs := s.tg.Messages(buyerChat)
	if len(msgs) == 0 || msgs[len(msgs)-1].Photo == "" {
		s.t.Fatalf("the bot sent no picture for %q: %+v", amount, msgs)
	}
	last := msgs[len(msgs)-1]
	link := regexp.MustCompile(regexp.QuoteMeta(s.env.URL) + `/p/[A-Za-z0-9_-]+`).FindString(last.Plain)
	if link == "" {
		s.t.Fatalf("no payment link in %q", last.Plain)
	}
	return link, last
}

// told returns what the bot told the operator about payments: the texts of
// its notices, in order.
func (s *shop) told() []string { return notices(tgTexts(s.tg.Messages(buyerChat))) }

func (s *shop) wantTold(want ...string) {
	s.t.Helper()
	wantTold(s.t, s.told(), want...)
}

// bpage is one answer as the buyer's browser shows it.
type bpage = testsupport.Page

// buyer is a browser without JavaScript on the buyer's own phone.
type buyer = testsupport.Buyer

func (s *shop) buyer() *buyer { return testsupport.NewBuyer(s.t, "") }

// sandboxCard fills the sandbox bank's form.
var sandboxCard = testsupport.SandboxCard

func wantSays(t testing.TB, p bpage, parts ...string) {
	t.Helper()
	for _, s := range parts {
		if !strings.Contains(p.Body, s) {
			t.Errorf("%s (%d) does not say %q:\n%s", p.URL, p.Status, s, p.Body)
		}
	}
}

// bankCallback is a bank callback the product received.
type bankCallback struct {
	body []byte
	sig  string
}

// callbackTap records the sandbox bank's callbacks as they go out.
type callbackTap struct {
	mu  sync.Mutex
	got []bankCallback
}

func tapCallbacks(env *hosttest.Env) *callbackTap {
	tp := &callbackTap{}
	env.Outbound.Drop(func(r *http.Request) bool {
		if !strings.HasSuffix(r.URL.Path, "/bank/sandbox/callback") || r.Body == nil {
			return false
		}
		b, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(b))
		tp.mu.Lock()
		tp.got = append(tp.got, bankCallback{body: b, sig: r.Header.Get(sandbox.SignatureHeader)})
		tp.mu.Unlock()
		return false
	})
	return tp
}

func (tp *callbackTap) all() []bankCallback {
	tp.mu.Lock()
	defer tp.mu.Unlock()
	return append([]bankCallback(nil), tp.got...)
}

// postCallback delivers a callback to the product as the bank would.
func (s *shop) postCallback(provider string, body []byte, sig string) int {
	s.t.Helper()
	return deliver(s.t, s.env.URL+"/bank/"+provider+"/callback", body, sandbox.SignatureHeader, sig)
}

// signSandbox signs a callback body with the sandbox's key for the harness's
// LINK_SECRET: a well-signed callback for whatever the body says.
func signSandbox(body []byte) string {
	return sandbox.Sign(sandbox.CallbackKey(check.NewSigner(hosttest.LinkSecret)), body)
}

// needScheduledWiring fails a test that needs the scheduled pass to ask the
// bank and notify operators if app.New stops giving the checks service its
// Bank and Notifier (the scheduled entry never calls Handler).
func needScheduledWiring(t testing.TB) {
	t.Helper()
	a := app.New(app.Config{LinkSecret: "x", PublicBaseURL: "http://x", SandboxBank: true}, app.Deps{KV: kv.NewMem(nil)})
	if a.Checks.Bank == nil {
		t.Fatal("the scheduled pass cannot ask the bank: app.New must set a.Checks.Bank = a.Banks()")
	}
	if a.Checks.Notifier == nil {
		t.Fatal("the scheduled pass cannot notify: app.New must set a.Checks.Notifier = a.notifier()")
	}
}

// cpuTime is the CPU time (user and system) this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
