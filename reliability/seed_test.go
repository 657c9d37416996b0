package reliability

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/paylastic/edge/core/bank/monobank/sign"
	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/checks"
	fakemono "github.com/paylastic/edge/fakes/monobank"
	tgfake "github.com/paylastic/edge/fakes/telegram"
	"github.com/paylastic/edge/wasm/hosttest"
)

// run is one seed's schedule on the shop, from the check's creation to the
// settled end, with what it saw on the way.
type run struct {
	s     *shop
	sc    schedule
	fault bool // faults are on while the schedule runs

	link, token string
	ref         check.Ref
	qr          tgfake.Message

	mu         sync.Mutex
	violations []string
	statuses   []check.Status // the check's status as sampled, in order
	cancelled  bool           // the operator was told the check is cancelled
	// maybeCancelled: a cancel press got no toast (its answer failed), so
	// the check may be cancelled or not; notFound counts presses told «Чек
	// не знайдено.» (the check's record not at that location yet)
	maybeCancelled bool
	notFound       int
	refunded       bool // a refund was confirmed (answered 200)
	expired        bool // the clock passed the check's expiry
	forgeries      int
}

func (r *run) failf(format string, args ...any) {
	r.mu.Lock()
	r.violations = append(r.violations, fmt.Sprintf(format, args...))
	r.mu.Unlock()
}

// The bot's answers to a cancel press (core/bot's Ukrainian catalog).
const (
	cancelledAck = "Чек скасовано"
	noSuchCheck  = "Чек не знайдено."
)

// rogue signs forged webhooks: a key the bank never had.
var rogue, _ = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)

// create has the operator type the amount and finds the QR with the link.
func (r *run) create() bool {
	before := len(r.s.messages(r.sc.amount + " грн"))
	if st := r.s.say(r.sc.amount); st != http.StatusOK {
		r.failf("the amount message was answered %d after %d deliveries", st, senderTries)
		return false
	}
	var photos []tgfake.Message
	for _, m := range r.s.messages(r.sc.amount + " грн")[before:] {
		if m.Photo != "" {
			photos = append(photos, m)
		}
	}
	if len(photos) == 0 {
		r.failf("the amount message was answered 200 but the bot sent no QR")
		return false
	}
	r.qr = photos[len(photos)-1]
	i := strings.Index(r.qr.Plain, r.s.env.URL+"/p/")
	if i < 0 {
		r.failf("no payment link in %q", r.qr.Plain)
		return false
	}
	r.link = strings.Fields(r.qr.Plain[i:])[0]
	r.token = r.link[strings.LastIndexByte(r.link, '/')+1:]
	ref, err := check.NewSigner(hosttest.LinkSecret).Decode(r.token)
	if err != nil {
		r.failf("the link's token: %v", err)
		return false
	}
	r.ref = ref
	return true
}

// sample reads the check's status and keeps it.
func (r *run) sample() {
	st, _, err := r.s.state(r.ref.ID)
	if err != nil {
		return
	}
	r.mu.Lock()
	if n := len(r.statuses); n == 0 || r.statuses[n-1] != st.Status {
		r.statuses = append(r.statuses, st.Status)
	}
	r.mu.Unlock()
}

// invoices are the fake bank's invoices of the check, oldest first.
func (r *run) invoices() []fakemono.Invoice {
	var out []fakemono.Invoice
	for _, inv := range r.s.mono.Invoices() {
		if inv.MerchantPaymInfo.Reference == r.token {
			out = append(out, inv)
		}
	}
	return out
}

// webhooks are the bank's webhooks of the check's invoices, oldest first.
func (r *run) webhooks() []fakemono.Webhook {
	ids := map[string]bool{}
	for _, inv := range r.invoices() {
		ids[inv.ID] = true
	}
	var out []fakemono.Webhook
	for _, w := range r.s.mono.Webhooks() {
		if ids[w.InvoiceID] {
			out = append(out, w)
		}
	}
	return out
}

// do performs one action.
func (r *run) do(a action) {
	s := r.s
	switch a.kind {
	case start:
		req, _ := http.NewRequest("POST", r.link+"/pay", strings.NewReader(url.Values{"lang": {"uk"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Test-Location", a.loc)
		st := s.do(req)
		if !r.fault && st != http.StatusSeeOther && st != http.StatusConflict && st != http.StatusServiceUnavailable {
			r.failf("«Оплатити» at %s answered %d", a.loc, st)
		}
	case paid, declined, payOld:
		var open []fakemono.Invoice
		for _, inv := range r.invoices() {
			if inv.Status == "created" && !inv.Removed {
				open = append(open, inv)
			}
		}
		if len(open) == 0 {
			return
		}
		inv := open[len(open)-1]
		if a.kind == payOld {
			inv = open[0]
		}
		if err := s.mono.Pay(inv.ID, a.kind != declined, ""); err != nil {
			return // paid, removed or expired meanwhile
		}
		r.durable(inv.ID, a.kind != declined)
	case duplicate, stale, forged:
		invs := r.invoices()
		whs := r.webhooks()
		if len(whs) == 0 {
			return
		}
		last := whs[len(whs)-1]
		switch a.kind {
		case duplicate:
			_ = s.mono.Resend(last.InvoiceID)
		case stale:
			for _, inv := range invs {
				if inv.Status == "failure" && inv.ID != invs[len(invs)-1].ID {
					_ = s.mono.SendStale(inv.ID, "failure")
					return
				}
			}
			_ = s.mono.SendStale(last.InvoiceID, "processing")
		case forged:
			r.forge(last)
		}
	case poll:
		req, _ := http.NewRequest("GET", r.link+"/result", nil)
		req.Header.Set("X-Test-Location", a.loc)
		if st := s.do(req); !r.fault && st != http.StatusOK {
			r.failf("the result page at %s answered %d", a.loc, st)
		}
	case cancel:
		data := inlineData(r.qr, "")
		if data == "" {
			r.failf("no button under the QR")
			return
		}
		st, q := s.press(r.qr, data)
		if st == noButton {
			return // the QR's buttons are gone (paid, cancelled, expired): no press
		}
		if st != http.StatusOK {
			r.failf("the cancel press was answered %d after %d deliveries", st, senderTries)
			return
		}
		// what the operator was told decides what the model expects: a
		// cancel, a refusal, or (its toast lost) maybe a cancel
		r.mu.Lock()
		defer r.mu.Unlock()
		switch toast := s.toast(q); {
		case toast == cancelledAck:
			r.cancelled = true
		case toast == "":
			r.maybeCancelled = true
		default:
			if toast == noSuchCheck {
				r.notFound++ // the check's record has not reached this location
			}
			// under faults the press may have been answered, failed after
			// (5xx) and been delivered again, elsewhere: the second
			// delivery may cancel, but a query is answered once, so the
			// operator saw the first answer
			if r.fault {
				r.maybeCancelled = true
			}
		}
	case refund:
		r.refund()
	case cron:
		if err := s.env.Scheduled(context.Background()); err != nil && !r.fault {
			r.failf("scheduled pass: %v", err)
		}
	case later:
		s.env.Clock.Advance(checks.ReconcileAfter + time.Second)
	case expire:
		if d := r.ref.Expires.Sub(s.env.Clock.Now()); d > 0 {
			s.env.Clock.Advance(d + time.Second)
		}
		r.mu.Lock()
		r.expired = true
		r.mu.Unlock()
		if err := s.env.Scheduled(context.Background()); err != nil && !r.fault {
			r.failf("scheduled pass after expiry: %v", err)
		}
	}
}

// durable checks invariant 4 at the bank's side: a final webhook answered
// 200 is recorded by then.
func (r *run) durable(invoice string, success bool) {
	for _, w := range r.s.mono.Webhooks() {
		if w.InvoiceID != invoice || w.Resent || !w.Delivered() || (w.Status != "success" && w.Status != "failure") {
			continue
		}
		st, _, err := r.s.state(r.ref.ID)
		if err != nil {
			return
		}
		a, ok := st.Attempt(invoice)
		switch {
		case success && st.Status != check.Paid && st.Status != check.Refunded:
			r.failf("the success webhook of %s was answered 200 but the check is %s", invoice, st.Status)
		case !ok || a.Status == check.AttemptPending:
			r.failf("the %s webhook of %s was answered 200 but the attempt is not recorded", w.Status, invoice)
		}
	}
}

// forge posts a webhook like the bank's last one, saying success, signed by
// a key the bank never had.
func (r *run) forge(last fakemono.Webhook) {
	var body map[string]any
	if json.Unmarshal(last.Body, &body) != nil {
		return
	}
	body["status"] = "success"
	b, _ := json.MarshalIndent(body, "", "  ")
	xs, err := sign.Sign(rogue, b)
	if err != nil {
		r.failf("sign forged webhook: %v", err)
		return
	}
	req, _ := http.NewRequest("POST", last.URL, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Sign", xs)
	st := r.s.do(req)
	r.mu.Lock()
	r.forgeries++
	r.mu.Unlock()
	if st >= 200 && st < 300 {
		r.failf("a forged webhook was answered %d", st)
	}
}

// refund presses «Повернути кошти» under the check's paid notice and
// confirms, as the operator would; nothing if the operator has not been
// told it is paid.
func (r *run) refund() {
	s := r.s
	var notice tgfake.Message
	for _, m := range s.messages(r.sc.amount + " грн") {
		if strings.HasPrefix(m.Plain, "✅") {
			notice = m
		}
	}
	data := inlineData(notice, "refund:")
	if data == "" {
		return
	}
	before := len(s.messages("Повернути покупцю"))
	if st, _ := s.press(notice, data); st != http.StatusOK {
		r.failf("the refund press was answered %d after %d deliveries", st, senderTries)
		return
	}
	asks := s.messages("Повернути покупцю")
	if len(asks) <= before {
		return // another refund of it is under way, or done
	}
	ask := asks[len(asks)-1]
	ok := inlineData(ask, "refundok:")
	if ok == "" {
		return
	}
	if st, _ := s.press(ask, ok); st != http.StatusOK {
		r.failf("the refund confirmation was answered %d after %d deliveries", st, senderTries)
		return
	}
	r.mu.Lock()
	r.refunded = true
	r.mu.Unlock()
}

// execute runs the schedule's steps, sampling the check's status all the
// while, then settles.
func (r *run) execute() {
	stop := make(chan struct{})
	var sampler sync.WaitGroup
	sampler.Add(1)
	go func() {
		defer sampler.Done()
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				r.sample()
			}
		}
	}()
	// Real time passes while a step runs, ten times faster on the fake
	// clock: a request that waits for another (two tabs starting one
	// payment) sleeps on the guest's clock, which is this one, and would
	// never wake on a clock that stands still.
	ticking := make(chan struct{})
	var ticker sync.WaitGroup
	ticker.Add(1)
	go func() {
		defer ticker.Done()
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-ticking:
				return
			case <-t.C:
				r.s.env.Clock.Advance(50 * time.Millisecond)
			}
		}
	}()
	for _, step := range r.sc.steps {
		var wg sync.WaitGroup
		for _, a := range step {
			wg.Add(1)
			go func() { defer wg.Done(); r.do(a) }()
		}
		wg.Wait()
		r.sample()
	}
	close(ticking)
	ticker.Wait()
	r.settle()
	close(stop)
	sampler.Wait()
	r.sample()
}

// settle turns the faults off and does what the real senders and the
// scheduled pass do given time: the bank delivers again what it could not,
// KV reaches every location, claims lapse, the pass asks the bank and
// retries notices.
func (r *run) settle() {
	s := r.s
	s.setFaults(0, 0)
	s.mono.Wait()
	redo := map[string]bool{}
	for _, w := range r.webhooks() {
		if !w.Delivered() && !w.Dropped {
			redo[w.InvoiceID] = true
		}
	}
	for id := range redo {
		if err := s.mono.Resend(id); err != nil {
			r.failf("resend %s: %v", id, err)
		}
	}
	s.settleKV()
	s.env.Clock.Advance(checks.ClaimLease + checks.ReconcileAfter + time.Second)
	for i := range 2 {
		if i == 1 && !s.env.Clock.Now().Before(r.ref.Expires) {
			// the time that passed took the check past its expiry: this
			// pass expires it if it is open
			r.mu.Lock()
			r.expired = true
			r.mu.Unlock()
		}
		if err := s.env.Scheduled(context.Background()); err != nil {
			r.failf("scheduled pass while settling: %v", err)
		}
		s.env.Clock.Advance(checks.SweepEvery)
	}
	s.mono.Wait()
}

// notices are the bot's notices about the check, in the order sent.
type notices struct {
	paid, failed, expired, refunded, twice int
	again                                  int      // notices the guest sent but could not record
	afterPaid                              []string // a failure or expiry told after the payment
}

func (r *run) notices() notices {
	var n notices
	for _, m := range r.s.messages(r.sc.amount + " грн") {
		switch p := m.Plain; {
		case strings.HasPrefix(p, "✅"):
			n.paid++
		case strings.Contains(p, "оплачено ще раз"):
			n.twice++
		case strings.HasPrefix(p, "⚠️"):
			n.failed++
			if n.paid > 0 {
				n.afterPaid = append(n.afterPaid, p)
			}
		case strings.HasPrefix(p, "⌛"):
			n.expired++
			if n.paid > 0 {
				n.afterPaid = append(n.afterPaid, p)
			}
		case strings.HasPrefix(p, "↩"):
			n.refunded++
		}
	}
	return n
}

// verify holds the settled end against the model: what the bank did decides
// what the check and the operator's chat must say.
func (r *run) verify() (n notices) {
	n = r.notices()
	// status only moves forward, as sampled all along
	for i := 1; i < len(r.statuses); i++ {
		if !r.statuses[i-1].CanMoveTo(r.statuses[i]) {
			r.failf("status moved back: %v", r.statuses)
			break
		}
	}
	var captured, reversed, failures int
	for _, inv := range r.invoices() {
		switch inv.Status {
		case "success":
			captured++
		case "reversed":
			captured++
			reversed++
		case "failure":
			failures++
		}
	}
	if captured > 1 {
		r.failf("the bank captured %d payments for one check", captured)
	}
	st, _, err := r.s.state(r.ref.ID)
	if err != nil {
		r.failf("read state: %v", err)
		return n
	}
	// the model: the bank is the truth for money; without money, the
	// operator's cancel and the clock decide
	want := map[check.Status]bool{}
	switch {
	case reversed > 0:
		want[check.Refunded] = true
	case captured > 0:
		want[check.Paid] = true
	case r.cancelled && r.expired:
		want[check.Cancelled], want[check.Expired] = true, true
	case r.cancelled:
		want[check.Cancelled] = true
	case r.expired:
		want[check.Expired] = true
	default:
		want[check.Open] = true
	}
	if captured == 0 && r.maybeCancelled {
		want[check.Cancelled] = true
	}
	if !want[st.Status] {
		r.failf("the check is %s, the model says %v (bank: %d captured, %d reversed, %d failed; cancelled %v, expired %v)",
			st.Status, keys(want), captured, reversed, failures, r.cancelled, r.expired)
	}
	if len(st.Pending) > 0 {
		r.failf("notices still pending after settling: %+v", st.Pending)
	}
	// exactly one notice per real change; a second only where the guest
	// sent one and could not record it (it says so in its log)
	again := r.s.logs.unrecorded(r.ref.ID)
	n.again = again
	if w := min(captured, 1); n.paid < w || n.paid > w+again {
		r.failf("told paid %d times, want %d (sends not recorded: %d)", n.paid, w, again)
	}
	if n.refunded < reversed || n.refunded > reversed+again {
		r.failf("told refunded %d times, want %d (sends not recorded: %d)", n.refunded, reversed, again)
	}
	if n.twice != 0 {
		r.failf("told paid twice %d times", n.twice)
	}
	// a failure is told once, unless the check was cancelled, expired or
	// paid before it was: then it is no longer news
	cancelled := r.cancelled || r.maybeCancelled
	if n.failed > failures+again || (!cancelled && !r.expired && captured == 0 && n.failed < failures) {
		r.failf("told failed %d times for %d failed payments (cancelled %v, expired %v, sends not recorded %d)", n.failed, failures, cancelled, r.expired, again)
	}
	if excess := max(n.paid-min(captured, 1), 0) + max(n.refunded-reversed, 0) + max(n.failed-failures, 0) + max(n.expired-1, 0); excess > again {
		r.failf("told %d notices more than once, but only %d sends were not recorded", excess, again)
	}
	wantExpired := r.expired && !cancelled && captured == 0
	if n.expired > 1+again || (wantExpired && n.expired < 1) {
		r.failf("told expired %d times (want %v)", n.expired, wantExpired)
	}
	if len(n.afterPaid) > 0 {
		r.failf("told after the payment: %q", n.afterPaid)
	}
	// every authentic webhook answered 200, or 5xx so that the bank retries
	answers := r.s.hooks.of(r.token)
	if len(answers) == 0 && len(r.webhooks()) > 0 {
		r.failf("suite: the webhooks' answers were not recorded under the check's ref")
	}
	for _, a := range answers {
		if a != http.StatusOK && a < 500 {
			r.failf("an authentic webhook was answered %d", a)
		}
	}
	return n
}

func keys(m map[check.Status]bool) []check.Status {
	var out []check.Status
	for k := range m {
		out = append(out, k)
	}
	return out
}
