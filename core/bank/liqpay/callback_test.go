package liqpay_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/paylastic/edge/core/bank/liqpay/sign"
	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/internal/testsupport"
)

// TestCallbacksFromTheBank: the fake's own callbacks for a declined and a
// paid order verify and say what happened.
func TestCallbacksFromTheBank(t *testing.T) {
	w := newWorld(t)
	_, link, p := w.start()
	if err := w.fake.Pay(p.Attempt.ProviderRef, false, "limit"); err != nil {
		t.Fatal(err)
	}
	_, _, p2 := w.start()
	w.Clock.Advance(time.Minute)
	if err := w.fake.Pay(p2.Attempt.ProviderRef, true, ""); err != nil {
		t.Fatal(err)
	}
	got := w.Received()
	if len(got) != 2 {
		t.Fatalf("received %d callbacks, want 2", len(got))
	}
	want := []check.Event{
		{Provider: "liqpay", ProviderRef: p.Attempt.ProviderRef, Status: check.AttemptFailure, Reason: "Перевищено ліміт картки", Modified: testsupport.T0, Card: "Visa •••• 42"},
		{Provider: "liqpay", ProviderRef: p2.Attempt.ProviderRef, Status: check.AttemptSuccess, Modified: testsupport.T0.Add(time.Minute), Card: "Visa •••• 42"},
	}
	for i, g := range got {
		if g.Err != nil {
			t.Fatalf("callback %d refused: %v", i, g.Err)
		}
		if g.N.Event != want[i] || g.N.Amount != 1250 || g.N.ID == "" {
			t.Errorf("callback %d = %+v amount %v, want %+v", i, g.N.Event, g.N.Amount, want[i])
		}
	}
	if got[0].N.Token != link {
		t.Errorf("link = %q, want %q", got[0].N.Token, link)
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
			_, _, p := w.start()
			if err := w.fake.Pay(p.Attempt.ProviderRef, true, ""); err != nil {
				t.Fatal(err)
			}
			g := w.Received()[0]
			if g.Err != nil {
				t.Fatalf("the genuine callback: %v", g.Err)
			}
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
	st := check.NewState()
	st.Attempts = append(st.Attempts, p.Attempt)
	for i, g := range got[:2] {
		if g.Err != nil {
			t.Fatalf("callback %d: %v", i, g.Err)
		}
		st.Apply(g.N.Event, w.Clock.Now())
	}
	if st.Status != check.Refunded {
		t.Fatalf("after paid and refunded callbacks the check is %s", st.Status)
	}
	if changed, notices := st.Apply(got[2].N.Event, w.Clock.Now()); changed || len(notices) != 0 || st.Status != check.Refunded {
		t.Errorf("the stale success changed the state: %+v", st)
	}
}
