package pay

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/paylastic/edge/core/bank"
	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/merchant"
	"github.com/paylastic/edge/core/money"
	"github.com/paylastic/edge/internal/testsupport"
)

// formBank is a provider that sends the buyer with a posted form, as LiqPay.
type formBank struct{}

func (formBank) Start(_ context.Context, c bank.Checkout) (bank.Payment, error) {
	return bank.Payment{
		Attempt:  check.Attempt{Provider: "formbank", ProviderRef: "order-1", Status: check.AttemptPending, Valid: c.Valid},
		Redirect: bank.Redirect{URL: "https://bank.test/checkout", Form: url.Values{"data": {"eyJ4IjoxfQ=="}, "signature": {"a+b/c="}}},
	}, nil
}
func (formBank) Callback(context.Context, bank.Callback) (bank.Notification, error) {
	return bank.Notification{}, nil
}
func (formBank) Status(_ context.Context, _ merchant.Merchant, _ check.Ref, a check.Attempt) (check.Event, error) {
	return check.Event{Provider: "formbank", ProviderRef: a.ProviderRef, Status: check.AttemptPending}, nil
}
func (formBank) Resume(_ context.Context, _ bank.Checkout, a check.Attempt) (bank.Redirect, error) {
	return bank.ResumeAt(a)
}
func (formBank) Cancel(context.Context, merchant.Merchant, check.Ref, check.Attempt) error {
	return nil
}
func (formBank) Refund(context.Context, merchant.Merchant, check.Ref, check.Attempt, money.Amount) error {
	return errs.E(errs.Invalid, "formbank cannot refund")
}
func (formBank) CheckCredentials(raw []byte) ([]byte, error) {
	return bank.NoCredentials("formbank", raw)
}
func (formBank) MaskCredentials([]byte) map[string]string { return nil }

// TestPageGolden renders every state of the payment page and the result
// page in both languages.
func TestPageGolden(t *testing.T) {
	pending := check.Attempt{Provider: "sandbox", ProviderRef: "pay1", Status: check.AttemptPending, Created: testsupport.T0, Valid: testsupport.T0.Add(30 * time.Minute)}
	failed := pending
	failed.Status, failed.Reason = check.AttemptFailure, "Недостатньо коштів"
	gone := pending
	gone.Status = check.AttemptExpired
	success := pending
	success.Provider, success.Status = "monobank", check.AttemptSuccess
	success.Modified, success.Card = testsupport.T0.Add(2*time.Minute), "4242 42** **** 4242"
	testPaid := pending
	testPaid.Status, testPaid.Test, testPaid.Card = check.AttemptSuccess, true, "•••• 4242"
	tests := []struct {
		name    string
		state   *check.State // nil: nobody touched the check
		advance time.Duration
		path    string // after /p/{ref}
	}{
		{"page_open", nil, 0, ""},
		{"page_pending", &check.State{Status: check.Open, Attempts: []check.Attempt{pending}}, 0, ""},
		{"page_failed", &check.State{Status: check.Open, Attempts: []check.Attempt{failed}}, 0, ""},
		{"page_paid", &check.State{Status: check.Paid, Attempts: []check.Attempt{failed, success}}, 0, ""},
		{"page_refunded", &check.State{Status: check.Refunded}, 0, ""},
		{"page_expired", &check.State{Status: check.Expired}, 0, ""},
		{"page_expired_unswept", nil, time.Hour, ""},
		{"page_cancelled", &check.State{Status: check.Cancelled}, 0, ""},
		{"result_paid", &check.State{Status: check.Paid, Attempts: []check.Attempt{success}}, 0, "/result"},
		{"result_paid_test", &check.State{Status: check.Paid, Attempts: []check.Attempt{testPaid}, Updated: testsupport.T0.Add(time.Minute)}, 0, "/result"},
		{"result_failed", &check.State{Status: check.Open, Attempts: []check.Attempt{failed}}, 0, "/result"},
		{"result_pending", &check.State{Status: check.Open, Attempts: []check.Attempt{pending}}, 0, "/result"},
		{"result_not_visible_yet", nil, 0, "/result"},
		{"result_page_closed", &check.State{Status: check.Open, Attempts: []check.Attempt{gone}}, 0, "/result"},
		{"result_expired", &check.State{Status: check.Expired}, 0, "/result"},
		{"result_cancelled", &check.State{Status: check.Cancelled}, 0, "/result"},
	}
	for _, tt := range tests {
		for _, lang := range []string{"uk", "en"} {
			t.Run(tt.name+"."+lang, func(t *testing.T) {
				w := newWorld(t)
				ref, chk := w.newCheck("12,50")
				if tt.state != nil {
					w.setState(chk.Ref(), *tt.state)
				}
				w.clock.Advance(tt.advance)
				rec := w.serve("GET", "/p/"+ref+tt.path, lang)
				if rec.Code != http.StatusOK {
					t.Errorf("GET %s = %d, want 200", tt.path, rec.Code)
				}
				if got := rec.Header().Get("Content-Language"); got != lang {
					t.Errorf("Content-Language = %q, want %q", got, lang)
				}
				testsupport.Golden(t, tt.name+"."+lang, rec.Body.String())
			})
		}
	}
}

// TestErrorPagesGolden renders the pages that show no check.
func TestErrorPagesGolden(t *testing.T) {
	for _, lang := range []string{"uk", "en"} {
		t.Run("notfound."+lang, func(t *testing.T) {
			w := newWorld(t)
			ref, _ := w.newCheck("12,50")
			for _, path := range []string{"/p/forged", "/p/" + ref[:len(ref)-2] + "AA", "/p/" + ref + "x/result"} {
				rec := w.serve("GET", path, lang)
				if rec.Code != http.StatusNotFound {
					t.Errorf("GET %s = %d, want 404", path, rec.Code)
				}
				testsupport.Golden(t, "notfound."+lang, rec.Body.String())
			}
		})
		t.Run("unavailable."+lang, func(t *testing.T) {
			w := newWorld(t)
			ref, _ := w.newCheck("12,50")
			w.flaky.down.Reads.Store(true)
			rec := w.serve("GET", "/p/"+ref, lang)
			if rec.Code != http.StatusServiceUnavailable {
				t.Errorf("GET with storage down = %d, want 503", rec.Code)
			}
			testsupport.Golden(t, "unavailable."+lang, rec.Body.String())
		})
		t.Run("to_bank."+lang, func(t *testing.T) {
			w := newWorld(t)
			w.useBank("formbank", formBank{})
			ref, _ := w.newCheck("12,50")
			rec := w.serve("POST", "/p/"+ref+"/pay", lang)
			if rec.Code != http.StatusOK {
				t.Errorf("POST pay = %d, want 200 with a form", rec.Code)
			}
			testsupport.Golden(t, "to_bank."+lang, rec.Body.String())
		})
	}
}

// serve answers one request in process; lang "en" asks for English the way
// browsers do.
func (w *world) serve(method, path, lang string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, strings.NewReader(""))
	if method == "POST" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if lang == "en" {
		req.Header.Set("Accept-Language", "en-GB,en;q=0.9,uk;q=0.5")
	}
	rec := httptest.NewRecorder()
	w.srv.Config.Handler.ServeHTTP(rec, req)
	return rec
}

func TestMessagesComplete(t *testing.T) { testsupport.CatalogComplete(t, messages) }

func (formBank) VerifyCredentials(context.Context, []byte) error { return nil }

// statusCounter is formBank, counting the status asks.
type statusCounter struct {
	formBank
	n *atomic.Int64
}

func (s statusCounter) Status(ctx context.Context, m merchant.Merchant, ref check.Ref, a check.Attempt) (check.Event, error) {
	s.n.Add(1)
	return s.formBank.Status(ctx, m, ref, a)
}

// TestResultAsksTheBankAtMostEvery: reloading the result page of a pending
// payment asks the bank once per StatusEvery, not once per load.
func TestResultAsksTheBankAtMostEvery(t *testing.T) {
	w := newWorld(t)
	var asks atomic.Int64
	w.useBank("formbank", statusCounter{n: &asks})
	ref, _ := w.newCheck("12,50")
	if rec := w.serve("POST", "/p/"+ref+"/pay", "uk"); rec.Code != http.StatusOK {
		t.Fatalf("POST pay = %d", rec.Code)
	}
	for i := 0; i < 10; i++ {
		if rec := w.serve("GET", "/p/"+ref+"/result", "uk"); rec.Code != http.StatusOK {
			t.Fatalf("GET result = %d", rec.Code)
		}
	}
	if got := asks.Load(); got != 1 {
		t.Errorf("10 loads at once asked the bank %d times, want 1", got)
	}
	w.clock.Advance(StatusEvery)
	w.serve("GET", "/p/"+ref+"/result", "uk")
	if got := asks.Load(); got != 2 {
		t.Errorf("a load %s later: %d asks in all, want 2", StatusEvery, got)
	}
}
