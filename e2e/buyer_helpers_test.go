package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/paylastic/edge/core/app"
	"github.com/paylastic/edge/core/bank/sandbox"
	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/kv"
	faketg "github.com/paylastic/edge/fakes/telegram"
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
// with the bot on a fake Telegram.
type shop struct {
	t      testing.TB
	env    *hosttest.Env
	tg     *faketg.Server
	update int
	msg    int
}

// newShop starts the guest, registers a merchant through the admin API and
// activates the operator in Telegram, at once.
func newShop(t testing.TB, o hosttest.Options) *shop {
	t.Helper()
	s := &shop{t: t, tg: faketg.New(buyerTGToken)}
	tgSrv := httptest.NewServer(s.tg)
	t.Cleanup(tgSrv.Close)
	if o.Env == nil {
		o.Env = map[string]string{}
	}
	o.Env["TELEGRAM_BOT_TOKEN"] = buyerTGToken
	o.Env["TELEGRAM_WEBHOOK_SECRET"] = buyerTGSecret
	o.Env["TELEGRAM_API_URL"] = tgSrv.URL
	s.env = hosttest.Start(t, o)

	req, _ := http.NewRequest("POST", s.env.URL+"/admin/merchants", strings.NewReader(`{"name":"Кавʼярня «Ранок»","max_amount":"5000"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+hosttest.AdminToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("create merchant: %v", err)
	}
	var m struct {
		Code string `json:"activation_code"`
	}
	err = json.NewDecoder(resp.Body).Decode(&m)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 201 || m.Code == "" {
		t.Fatalf("create merchant: %d %v", resp.StatusCode, err)
	}
	// No wait for KV to settle, even with Options.Lag: merchants and
	// operators are in the consistent store, so a merchant registered a
	// second ago is already everywhere (a KV merchant once made its links
	// answer 503 at other locations for a minute).
	s.say(m.Code)
	return s
}

// say sends the operator's text message to the bot's webhook.
func (s *shop) say(text string) {
	s.t.Helper()
	s.update++
	s.msg++
	s.webhook(map[string]any{
		"update_id": s.update,
		"message": map[string]any{
			"message_id": s.msg, "date": s.env.Clock.Now().Unix(), "text": text,
			"chat": map[string]any{"id": buyerChat, "type": "private", "first_name": "Оля"},
			"from": map[string]any{"id": buyerChat, "is_bot": false, "first_name": "Оля", "language_code": "uk"},
		},
	})
}

// press sends the operator's press of an inline button under message.
func (s *shop) press(m faketg.Message, data string) {
	s.t.Helper()
	s.update++
	msg := map[string]any{
		"message_id": m.ID, "date": m.Date.Unix(),
		"chat": map[string]any{"id": buyerChat, "type": "private", "first_name": "Оля"},
	}
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
			"from":    map[string]any{"id": buyerChat, "is_bot": false, "first_name": "Оля", "language_code": "uk"},
			"message": msg,
		},
	})
}

func (s *shop) webhook(update map[string]any) {
	s.t.Helper()
	body, _ := json.Marshal(update)
	req, _ := http.NewRequest("POST", s.env.URL+"/telegram/webhook", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Telegram-Bot-Api-Secret-Token", buyerTGSecret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatalf("telegram webhook: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		s.t.Fatalf("telegram webhook = %d", resp.StatusCode)
	}
}

// newCheck has the operator create a check of amount and returns the
// payment link and the bot's picture message.
func (s *shop) newCheck(amount string) (string, faketg.Message) {
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
func (s *shop) told() []string {
	var out []string
	for _, m := range s.tg.Messages(buyerChat) {
		for _, prefix := range []string{"✅", "⚠️", "⌛", "↩"} {
			if strings.HasPrefix(m.Plain, prefix) {
				out = append(out, m.Plain)
			}
		}
	}
	return out
}

func (s *shop) wantTold(want ...string) {
	s.t.Helper()
	got := s.told()
	ok := len(got) == len(want)
	for i := 0; ok && i < len(want); i++ {
		ok = strings.Contains(got[i], want[i])
	}
	if !ok {
		s.t.Errorf("the operator was told %q, want one message each containing %q", got, want)
	}
}

// bpage is one answer as the buyer's browser shows it.
type bpage struct {
	status int
	url    string
	header http.Header
	body   string
}

// buyer is a browser without JavaScript on the buyer's own phone: it follows
// redirects and submits forms.
type buyer struct {
	t    testing.TB
	c    *http.Client
	lang string
	loc  string // X-Test-Location, when set
}

func (s *shop) buyer() *buyer {
	jar, _ := cookiejar.New(nil)
	return &buyer{t: s.t, c: &http.Client{Jar: jar}}
}

// stopAtRedirects makes the buyer stop at each redirect (to see it).
func (b *buyer) stopAtRedirects() *buyer {
	b.c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return b
}

func (b *buyer) do(req *http.Request) bpage {
	b.t.Helper()
	if b.lang != "" {
		req.Header.Set("Accept-Language", b.lang)
	}
	if b.loc != "" {
		req.Header.Set("X-Test-Location", b.loc)
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return bpage{status: resp.StatusCode, url: resp.Request.URL.String(), header: resp.Header, body: string(body)}
}

func (b *buyer) get(u string) bpage {
	b.t.Helper()
	req, _ := http.NewRequest("GET", u, nil)
	return b.do(req)
}

func (b *buyer) post(u string, form url.Values) bpage {
	b.t.Helper()
	req, _ := http.NewRequest("POST", u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

var (
	buyerFormRE   = regexp.MustCompile(`(?s)<form[^>]* method="post" action="([^"]*)"[^>]*>(.*?)</form>`)
	buyerHiddenRE = regexp.MustCompile(`<input type="hidden" name="([^"]*)" value="([^"]*)">`)
)

// submit posts the page's form with its hidden fields and fill.
func (b *buyer) submit(p bpage, fill map[string]string) bpage {
	b.t.Helper()
	m := buyerFormRE.FindStringSubmatch(p.body)
	if m == nil {
		b.t.Fatalf("no form on %s (%d):\n%s", p.url, p.status, p.body)
	}
	form := url.Values{}
	for _, in := range buyerHiddenRE.FindAllStringSubmatch(m[2], -1) {
		form.Set(in[1], htmlUnescape(in[2]))
	}
	for k, v := range fill {
		form.Set(k, v)
	}
	base, _ := url.Parse(p.url)
	target, err := base.Parse(htmlUnescape(m[1]))
	if err != nil {
		b.t.Fatal(err)
	}
	return b.post(target.String(), form)
}

func htmlUnescape(s string) string {
	return strings.NewReplacer("&amp;", "&", "&#43;", "+", "&#39;", "'", "&quot;", `"`, "&lt;", "<", "&gt;", ">").Replace(s)
}

// card fills the sandbox bank's form.
func sandboxCard(number string) map[string]string {
	return map[string]string{"card": number, "exp": "12/30", "cvv": "123"}
}

func wantSays(t testing.TB, p bpage, parts ...string) {
	t.Helper()
	for _, s := range parts {
		if !strings.Contains(p.body, s) {
			t.Errorf("%s (%d) does not say %q:\n%s", p.url, p.status, s, p.body)
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
	req, _ := http.NewRequest("POST", s.env.URL+"/bank/"+provider+"/callback", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(sandbox.SignatureHeader, sig)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
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
