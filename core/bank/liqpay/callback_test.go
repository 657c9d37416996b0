package liqpay_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/paylastic/edge/core/bank/banktest"
	"github.com/paylastic/edge/core/bank/liqpay/sign"
	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/internal/testsupport"
)

// TestCallbacksFromTheBank: the fake's own callbacks for a declined and a
// paid order verify and say what happened.
func TestCallbacksFromTheBank(t *testing.T) {
	w := newWorld(t)
	p, p2, got := banktest.DeclinedThenPaid(t, w.harness(), "limit")
	want := []check.Event{
		{Provider: "liqpay", ProviderRef: p.Attempt.ProviderRef, Status: check.AttemptFailure, Reason: "Перевищено ліміт картки", Modified: testsupport.T0, Card: "Visa •••• 42"},
		{Provider: "liqpay", ProviderRef: p2.Attempt.ProviderRef, Status: check.AttemptSuccess, Modified: testsupport.T0.Add(time.Minute), Card: "Visa •••• 42"},
	}
	if len(got) != len(want) {
		t.Fatalf("received %d callbacks, want %d", len(got), len(want))
	}
	for i, g := range got {
		if g.N.Event != want[i] {
			t.Errorf("callback %d = %+v, want %+v", i, g.N.Event, want[i])
		}
	}
}

// TestCallbackVerification: forged, tampered and misdirected callbacks are
// refused before their data is read.
func TestCallbackVerification(t *testing.T) {
	form := func(data, sig string) []byte {
		return []byte(url.Values{"data": {data}, "signature": {sig}}.Encode())
	}
	resign := func(data string, edit func(map[string]any)) []byte {
		var m map[string]any
		sign.Decode(data, &m)
		edit(m)
		d, _ := sign.Data(m)
		return form(d, sign.Signature(privateKey, d))
	}
	tests := []struct {
		name     string
		prepare  func(w *world, query string, data, sig string) (string, []byte)
		wantCode errs.Code
		want     check.AttemptStatus
	}{
		{"duplicate of a genuine one", func(w *world, q, d, s string) (string, []byte) {
			return q, form(d, s)
		}, "", check.AttemptSuccess},
		{"no query: nothing names the key, data is not decoded", func(w *world, q, d, s string) (string, []byte) {
			return "", form(d, s)
		}, errs.Unauthorized, ""},
		{"tampered data", func(w *world, q, d, s string) (string, []byte) {
			var m map[string]any
			sign.Decode(d, &m)
			m["amount"] = 0.01
			d2, _ := sign.Data(m)
			return q, form(d2, s)
		}, errs.Unauthorized, ""},
		{"signed with another private key", func(w *world, q, d, s string) (string, []byte) {
			return q, form(d, sign.Signature("another-private-key", d))
		}, errs.Unauthorized, ""},
		{"signature of another data", func(w *world, q, d, s string) (string, []byte) {
			return q, form(d, sign.Signature(privateKey, d+"x"))
		}, errs.Unauthorized, ""},
		{"no signature", func(w *world, q, d, s string) (string, []byte) {
			return q, form(d, "")
		}, errs.Unauthorized, ""},
		{"not a form", func(w *world, q, d, s string) (string, []byte) {
			return q, []byte("%zz")
		}, errs.Unauthorized, ""},
		{"link not ours", func(w *world, q, d, s string) (string, []byte) {
			return "?ref=AAAA", form(d, s)
		}, errs.Unauthorized, ""},
		{"query names another check", func(w *world, q, d, s string) (string, []byte) {
			_, link := w.Check(w.m, 1250)
			return "?ref=" + url.QueryEscape(link), form(d, s)
		}, errs.Invalid, ""},
		{"merchant without keys", func(w *world, q, d, s string) (string, []byte) {
			_, link := w.Check(w.merchant(""), 1250)
			return "?ref=" + url.QueryEscape(link), form(d, s)
		}, errs.Unauthorized, ""},
		{"another public key, well signed", func(w *world, q, d, s string) (string, []byte) {
			return q, resign(d, func(m map[string]any) { m["public_key"] = "i99999999999" })
		}, errs.Invalid, ""},
		{"another currency, well signed", func(w *world, q, d, s string) (string, []byte) {
			return q, resign(d, func(m map[string]any) { m["currency"] = "USD" })
		}, errs.Invalid, ""},
		{"sandbox payment for a live merchant", func(w *world, q, d, s string) (string, []byte) {
			return q, resign(d, func(m map[string]any) { m["status"] = "sandbox" })
		}, errs.Invalid, ""},
		{"3ds_verify is pending", func(w *world, q, d, s string) (string, []byte) {
			return q, resign(d, func(m map[string]any) { m["status"] = "3ds_verify" })
		}, "", check.AttemptPending},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			g := banktest.PaidCallback(t, w.harness())
			f, _ := url.ParseQuery(string(g.Body))
			query, body := tt.prepare(w, "?"+g.Query, f.Get("data"), f.Get("signature"))
			got := w.deliver(query, body)
			if code := errs.CodeOf(got.Err); code != tt.wantCode {
				t.Errorf("verdict %v (%s), want %q", got.Err, code, tt.wantCode)
			}
			if got.Err == nil && got.N.Event.Status != tt.want {
				t.Errorf("accepted callback says %+v, want %s", got.N.Event, tt.want)
			}
			if got.Err != nil && strings.Contains(got.Err.Error(), privateKey) {
				t.Errorf("the error quotes the private key: %v", got.Err)
			}
		})
	}
}

// TestSandboxMerchant: with sandbox keys a "sandbox" payment is a payment.
func TestSandboxMerchant(t *testing.T) {
	w := newWorld(t)
	w.m = w.merchant(`{"public_key":"` + publicKey + `","private_key":"` + privateKey + `","sandbox":true}`)
	_, _, p := w.start()
	if err := w.fake.Pay(p.Attempt.ProviderRef, true, ""); err != nil {
		t.Fatal(err)
	}
	g := w.Received()[0]
	if g.Err != nil || g.N.Event.Status != check.AttemptSuccess {
		t.Errorf("sandbox payment: %+v %v, want success", g.N.Event, g.Err)
	}
	if o, _ := w.fake.Order(p.Attempt.ProviderRef); o.Status != "sandbox" {
		t.Errorf("the fake's order is %s, want sandbox", o.Status)
	}
}

// TestStaleCallbackIgnored: the success callback sent again after the
// refund changes nothing in the check's state.
func TestStaleCallbackIgnored(t *testing.T) {
	w := newWorld(t)
	r, _, p := w.start()
	w.fake.Pay(p.Attempt.ProviderRef, true, "")
	w.Clock.Advance(time.Hour)
	if err := w.lp.Refund(t.Context(), w.m, r, p.Attempt, r.Amount); err != nil {
		t.Fatal(err)
	}
	w.fake.Wait()
	if err := w.fake.SendStale(p.Attempt.ProviderRef, "success"); err != nil {
		t.Fatal(err)
	}
	got := w.Received()
	if len(got) != 3 {
		t.Fatalf("received %d callbacks, want 3", len(got))
	}
	banktest.StaleIgnored(t, w.Clock.Now(), p.Attempt, got[:2], got[2], check.Refunded)
}
