package app

import (
	"context"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/paylastic/edge/core/bank/liqpay"
	"github.com/paylastic/edge/core/bank/monobank"
	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/checks"
)

var formField = regexp.MustCompile(`name="(data|signature)" value="([^"]*)"`)
var formAction = regexp.MustCompile(`<form id="to-bank" method="post" action="([^"]*)"`)

// payLiqPay posts our form to the fake LiqPay's checkout, as the buyer's
// browser does, and pays the order there.
func (w *refundWorld) payLiqPay(t *testing.T, page *http.Response) {
	t.Helper()
	body, _ := io.ReadAll(page.Body)
	action := formAction.FindSubmatch(body)
	if action == nil {
		t.Fatalf("no form to LiqPay in our page:\n%s", body)
	}
	form := url.Values{}
	for _, m := range formField.FindAllSubmatch(body, -1) {
		form.Set(string(m[1]), html.UnescapeString(string(m[2])))
	}
	resp, err := http.PostForm(html.UnescapeString(string(action[1])), form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if err := w.liq.Pay(liqpay.OrderID(w.link, 1), true, ""); err != nil {
		t.Fatal(err)
	}
}

// notices counts the notices of key the state holds, delivered or pending.
func notices(st check.State, key string) int {
	n := 0
	for _, k := range st.Notified {
		if k == key {
			n++
		}
	}
	for _, p := range st.Pending {
		if p.Key() == key {
			n++
		}
	}
	return n
}

// TestRefundSettledLater: the bank takes the refund but settles it later,
// and its reversal webhook is lost. The refund costs two state writes (its
// claim, then the mark that it was asked) and no KV write, asking again
// returns nothing twice, and the scheduled pass records the reversal with
// one notice. A refund settled at once costs its claim and the reversal
// (with the mark and the notice's claim). This world has no messenger, so
// notices stay pending: no write records a delivery, and the pass's one
// write is the reversal, whose claim takes over the older notice whose
// claim lapsed, to send it first (a check's notices go out in order).
func TestRefundSettledLater(t *testing.T) {
	tests := []struct {
		provider string
		later    bool
	}{
		{monobank.Name, false},
		{monobank.Name, true},
		{liqpay.Name, false},
		{liqpay.Name, true},
	}
	for _, tt := range tests {
		name := tt.provider + " at once"
		if tt.later {
			name = tt.provider + " later"
		}
		t.Run(name, func(t *testing.T) {
			w := newBankWorld(t, tt.provider)
			ctx := context.Background()
			w.pay(t)
			if st := w.state(t); st.Status != check.Paid {
				t.Fatalf("after paying the check is %s", st.Status)
			}
			if tt.later {
				w.fake.SetRefundDelay(time.Minute)
				w.liq.SetRefundDelay(time.Minute)
			}
			w.fake.SetDropWebhooks(true)
			w.liq.SetDropCallbacks(true)

			at, atState := w.kv.Snapshot(), w.cas.Puts()
			st, err := w.a.Checks.Refund(ctx, w.op, w.ref)
			if err != nil {
				t.Fatalf("Refund: %v", err)
			}
			if writes := w.cas.Puts() - atState; writes != 2 {
				t.Errorf("the refund cost %d state writes, want 2", writes)
			}
			if writes := w.kv.Snapshot().Sub(at).Puts; writes != 0 {
				t.Errorf("the refund cost %d KV writes, want 0", writes)
			}
			if !tt.later {
				if st.Status != check.Refunded || notices(st, "refunded") != 1 {
					t.Errorf("refund settled at once: %s with %d refunded notices, want refunded, 1", st.Status, notices(st, "refunded"))
				}
				return
			}
			if st.Status != check.Paid || !st.Attempts[len(st.Attempts)-1].RefundPending() {
				t.Fatalf("refund settled later: %s, attempts %+v; want paid with the refund pending", st.Status, st.Attempts)
			}

			atState = w.cas.Puts()
			if st, err := w.a.Checks.Refund(ctx, w.op, w.ref); err != nil || st.Status != check.Paid {
				t.Errorf("the refund confirmed again: %s, %v; want still paid, no error", st.Status, err)
			}
			if writes := w.cas.Puts() - atState; writes != 0 {
				t.Errorf("confirming again wrote %d times", writes)
			}
			if tt.provider == monobank.Name {
				if invs := w.fake.Invoices(); len(invs[0].CancelList) != 1 {
					t.Errorf("monobank was asked to refund %d times, want once", len(invs[0].CancelList))
				}
			}

			w.clock.Advance(checks.ReconcileAfter + time.Second)
			atState = w.cas.Puts()
			if err := w.a.Scheduled(ctx, w.clock.Now()); err != nil {
				t.Fatal(err)
			}
			st = w.state(t)
			if st.Status != check.Refunded || notices(st, "refunded") != 1 {
				t.Errorf("after the scheduled pass: %s with %d refunded notices, want refunded, 1", st.Status, notices(st, "refunded"))
			}
			if writes := w.cas.Puts() - atState; writes != 1 {
				t.Errorf("the scheduled pass wrote %d times, want 1 (the reversal, with the claim of both notices)", writes)
			}
			w.clock.Advance(checks.SweepEvery)
			if err := w.a.Scheduled(ctx, w.clock.Now()); err != nil {
				t.Fatal(err)
			}
			if st := w.state(t); notices(st, "refunded") != 1 {
				t.Errorf("a later pass: %d refunded notices, want 1", notices(st, "refunded"))
			}
		})
	}
}

// TestRefundAnswerLost: the bank refunds, but its answer to us is lost, so
// nothing is recorded and the operator sees an error. Confirming again, the
// bank refuses a second refund; its status says reversed, and that is
// recorded: the check is refunded, the operator told once, the money
// returned once.
func TestRefundAnswerLost(t *testing.T) {
	for _, provider := range []string{monobank.Name, liqpay.Name} {
		t.Run(provider, func(t *testing.T) {
			w := newBankWorld(t, provider)
			ctx := context.Background()
			w.pay(t)
			w.fake.SetDropWebhooks(true)
			w.liq.SetDropCallbacks(true)
			refunds := 0
			w.net.loseAnswers(func(r *http.Request) bool {
				if strings.HasSuffix(r.URL.Path, "/invoice/cancel") || strings.HasSuffix(r.URL.Path, "/api/request") && refunds == 0 {
					refunds++
					return refunds == 1
				}
				return false
			})
			if _, err := w.a.Checks.Refund(ctx, w.op, w.ref); err == nil {
				t.Fatal("Refund with its answer lost succeeded")
			}
			w.net.loseAnswers(nil)
			if st := w.state(t); st.Status != check.Paid {
				t.Fatalf("after the lost answer the check is %s, want paid (nothing known yet)", st.Status)
			}
			st, err := w.a.Checks.Refund(ctx, w.op, w.ref)
			if err != nil || st.Status != check.Refunded || notices(st, "refunded") != 1 {
				t.Fatalf("confirming again: %s with %d refunded notices, %v; want refunded, 1, no error", st.Status, notices(st, "refunded"), err)
			}
			if provider == monobank.Name {
				if invs := w.fake.Invoices(); len(invs[0].CancelList) != 1 {
					t.Errorf("monobank refunded %d times, want once", len(invs[0].CancelList))
				}
			}
		})
	}
}

// TestRefundFailedAtTheBank: monobank accepts the refund ("processing") and
// later fails it; the payment stands. When the operator confirms again a
// while later, the refund is asked anew (not merely its status), and this
// time it goes through; the money is returned once.
func TestRefundFailedAtTheBank(t *testing.T) {
	w := newBankWorld(t, monobank.Name)
	ctx := context.Background()
	w.pay(t)
	w.fake.SetDropWebhooks(true)
	w.fake.SetRefundDelay(time.Minute)
	if st, err := w.a.Checks.Refund(ctx, w.op, w.ref); err != nil || st.Status != check.Paid {
		t.Fatalf("Refund: %s, %v; want paid with the refund under way", st.Status, err)
	}
	w.fake.FailRefunds()
	w.fake.SetRefundDelay(0)
	if st, _ := w.a.Checks.Refund(ctx, w.op, w.ref); st.Status != check.Paid || len(w.fake.Invoices()[0].CancelList) != 1 {
		t.Fatalf("confirming again at once: %s, %d refunds asked; want paid, the status only", st.Status, len(w.fake.Invoices()[0].CancelList))
	}
	w.clock.Advance(checks.ReconcileAfter + time.Second)
	st, err := w.a.Checks.Refund(ctx, w.op, w.ref)
	if err != nil || st.Status != check.Refunded || notices(st, "refunded") != 1 {
		t.Fatalf("confirming again later: %s with %d refunded notices, %v; want refunded, 1", st.Status, notices(st, "refunded"), err)
	}
	var ok, failed int
	for _, c := range w.fake.Invoices()[0].CancelList {
		switch c.Status {
		case "success":
			ok++
		case "failure":
			failed++
		}
	}
	if ok != 1 || failed != 1 {
		t.Errorf("monobank refunds: %d done, %d failed; want 1 and 1", ok, failed)
	}
}
