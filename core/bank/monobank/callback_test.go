package monobank_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"net/url"
	"testing"
	"time"

	"github.com/paylastic/edge/core/bank/banktest"
	"github.com/paylastic/edge/core/bank/monobank"
	"github.com/paylastic/edge/core/bank/monobank/sign"
	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/httpx"
)

// TestWebhooksFromTheBank: the fake bank's own webhooks for a failed and a
// paid invoice verify and say what happened; the key is fetched once and
// cached.
func TestWebhooksFromTheBank(t *testing.T) {
	w := newWorld(t)
	p, p2, got := banktest.DeclinedThenPaid(t, w.harness(), "")
	want := []struct {
		invoice string
		status  check.AttemptStatus
		reason  string
	}{
		{p.Attempt.ProviderRef, check.AttemptPending, ""},
		{p.Attempt.ProviderRef, check.AttemptFailure, "На картці недостатньо коштів для завершення покупки"},
		{p2.Attempt.ProviderRef, check.AttemptPending, ""},
		{p2.Attempt.ProviderRef, check.AttemptSuccess, ""},
	}
	if len(got) != len(want) {
		t.Fatalf("received %d webhooks, want %d (processing and final, twice)", len(got), len(want))
	}
	for i, g := range got {
		ev := g.N.Event
		if ev.ProviderRef != want[i].invoice || ev.Status != want[i].status || ev.Reason != want[i].reason || ev.Provider != monobank.Name {
			t.Errorf("webhook %d = %+v, want %+v", i, ev, want[i])
		}
		if ev.Modified.IsZero() {
			t.Errorf("webhook %d: no modified date", i)
		}
	}
	if n := w.fake.PubkeyRequests(); n != 1 {
		t.Errorf("the public key was fetched %d times, want once", n)
	}
	if _, err := w.KV.Get(context.Background(), monobank.PubkeyKey(token)); err != nil {
		t.Errorf("the key is not cached: %v", err)
	}
}

// TestWebhookVerification: forged, tampered and unsigned webhooks are
// refused, and while the cached key is fresh (fetched within RefetchAfter)
// they cost no call to the bank; a webhook signed with a key the bank has
// rotated is accepted once the cached key is old enough to fetch anew.
func TestWebhookVerification(t *testing.T) {
	other, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tests := []struct {
		name string
		// prepare runs after a genuine paid webhook was received and
		// returns the query, body and X-Sign to deliver.
		prepare     func(w *world, genuine banktest.Received) (query string, body []byte, xSign string)
		wantCode    errs.Code
		wantFetches int // public key requests made by the delivery
		wantWrites  int // KV writes by a refused delivery: a refreshed key cache
	}{
		{"duplicate of a genuine one", func(w *world, g banktest.Received) (string, []byte, string) {
			return "?" + g.Query, g.Body, g.Header.Get("X-Sign")
		}, "", 0, 0},
		{"tampered body", func(w *world, g banktest.Received) (string, []byte, string) {
			return "?" + g.Query, bytes.Replace(g.Body, []byte(`"amount": 1250`), []byte(`"amount": 1`), 1), g.Header.Get("X-Sign")
		}, errs.Unauthorized, 0, 0},
		{"signed with another key", func(w *world, g banktest.Received) (string, []byte, string) {
			sig, _ := sign.Sign(other, g.Body)
			return "?" + g.Query, g.Body, sig
		}, errs.Unauthorized, 0, 0},
		{"signed with another key, cached key old", func(w *world, g banktest.Received) (string, []byte, string) {
			w.Clock.Advance(monobank.RefetchAfter + time.Second)
			sig, _ := sign.Sign(other, g.Body)
			return "?" + g.Query, g.Body, sig
		}, errs.Unauthorized, 1, 1},
		{"no X-Sign", func(w *world, g banktest.Received) (string, []byte, string) {
			return "?" + g.Query, g.Body, ""
		}, errs.Unauthorized, 0, 0},
		{"garbage X-Sign", func(w *world, g banktest.Received) (string, []byte, string) {
			return "?" + g.Query, g.Body, "not base64!"
		}, errs.Unauthorized, 0, 0},
		{"X-Sign not a signature", func(w *world, g banktest.Received) (string, []byte, string) {
			return "?" + g.Query, g.Body, "aGVsbG8gd29ybGQ="
		}, errs.Unauthorized, 0, 0},
		{"key rotated by the bank", func(w *world, g banktest.Received) (string, []byte, string) {
			w.fake.RotateKey()
			_, _, p := w.start()
			w.fake.Pay(p.Attempt.ProviderRef, true, "")
			last := w.Received()
			l := last[len(last)-1]
			if errs.CodeOf(l.Err) != errs.Unauthorized {
				t.Errorf("a webhook signed with the rotated key, the cached one fresh: %v, want refused (the bank retries)", l.Err)
			}
			w.Clock.Advance(monobank.RefetchAfter + time.Second) // the bank's retry, later
			return "?" + l.Query, l.Body, l.Header.Get("X-Sign")
		}, "", 1, 0},
		{"link not ours", func(w *world, g banktest.Received) (string, []byte, string) {
			return "?ref=AAAA", g.Body, g.Header.Get("X-Sign")
		}, errs.Unauthorized, 0, 0},
		{"query names another check", func(w *world, g banktest.Received) (string, []byte, string) {
			_, link := w.Check(w.m, 999)
			return "?ref=" + url.QueryEscape(link), g.Body, g.Header.Get("X-Sign")
		}, errs.Invalid, 0, 0},
		{"no query: nothing names the key, the body is not read", func(w *world, g banktest.Received) (string, []byte, string) {
			return "", g.Body, g.Header.Get("X-Sign")
		}, errs.Unauthorized, 0, 0},
		{"merchant without a token", func(w *world, g banktest.Received) (string, []byte, string) {
			m := w.merchant("")
			r, link := w.Check(m, 1250)
			_ = r
			return "?ref=" + url.QueryEscape(link), g.Body, g.Header.Get("X-Sign")
		}, errs.Unauthorized, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			genuine := banktest.PaidCallback(t, w.harness())
			query, body, xSign := tt.prepare(w, genuine)
			fetches, writes := w.fake.PubkeyRequests(), w.KV.Puts.Load()
			got := w.deliver(query, body, xSign)
			if code := errs.CodeOf(got.Err); code != tt.wantCode {
				t.Errorf("verdict %v (%s), want %q", got.Err, code, tt.wantCode)
			}
			if got.Err == nil && got.N.Event.Status != check.AttemptSuccess {
				t.Errorf("accepted webhook says %+v", got.N.Event)
			}
			if n := w.fake.PubkeyRequests() - fetches; n != tt.wantFetches {
				t.Errorf("public key fetched %d times, want %d", n, tt.wantFetches)
			}
			if n := int(w.KV.Puts.Load() - writes); got.Err != nil && n != tt.wantWrites {
				t.Errorf("a refused webhook wrote %d times to KV, want %d", n, tt.wantWrites)
			}
		})
	}
}

// TestWebhookStaleCacheThenStillBad: forgeries are 401 every time; while
// the cached key is fresh they cost no fetch, and once it is old one fetch
// refreshes it for the next RefetchAfter, however many forgeries come.
func TestWebhookStaleCacheThenStillBad(t *testing.T) {
	w := newWorld(t)
	g := banktest.PaidCallback(t, w.harness())
	other, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	forged, _ := sign.Sign(other, g.Body)
	for i, tt := range []struct {
		advance time.Duration
		fetches int
	}{
		{0, 0}, {time.Minute, 0}, {monobank.RefetchAfter, 1}, {0, 0}, {time.Minute, 0},
	} {
		w.Clock.Advance(tt.advance)
		before := w.fake.PubkeyRequests()
		got := w.deliver("?"+g.Query, g.Body, forged)
		if errs.CodeOf(got.Err) != errs.Unauthorized || httpx.Status(got.Err) != 401 {
			t.Fatalf("forgery %d: %v, want 401", i, got.Err)
		}
		if n := w.fake.PubkeyRequests() - before; n != tt.fetches {
			t.Errorf("forgery %d fetched the key %d times, want %d", i, n, tt.fetches)
		}
	}
}

func TestWebhookKeyUnavailable(t *testing.T) {
	w := newWorld(t)
	g := banktest.PaidCallback(t, w.harness())
	if err := w.KV.Delete(context.Background(), monobank.PubkeyKey(token)); err != nil {
		t.Fatal(err)
	}
	w.bankSr.Close()
	got := w.deliver("?"+g.Query, g.Body, g.Header.Get("X-Sign"))
	if errs.CodeOf(got.Err) != errs.Unavailable {
		t.Errorf("no key to be had: %v, want unavailable (the bank retries)", got.Err)
	}
}

// TestStaleWebhookIgnored: a late "processing" webhook after "success"
// changes nothing in the check's state.
func TestStaleWebhookIgnored(t *testing.T) {
	w := newWorld(t)
	_, _, p := w.start()
	w.Clock.Advance(time.Minute)
	w.fake.Pay(p.Attempt.ProviderRef, true, "")
	if err := w.fake.SendStale(p.Attempt.ProviderRef, "processing"); err != nil {
		t.Fatal(err)
	}
	got := w.Received()
	if len(got) != 3 {
		t.Fatalf("received %d webhooks, want 3", len(got))
	}
	success, stale := got[1].N.Event, got[2].N.Event
	if got[2].Err != nil || stale.Status != check.AttemptPending || !stale.Modified.Before(success.Modified) {
		t.Fatalf("stale webhook: %+v %v; success at %v", stale, got[2].Err, success.Modified)
	}
	banktest.StaleIgnored(t, w.Clock.Now(), p.Attempt, got[1:2], got[2], check.Paid)
}
