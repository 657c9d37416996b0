package monobank_test

import (
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/paylastic/edge/core/bank/monobank"
	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/errs"
)

func TestStart(t *testing.T) {
	w := newWorld(t)
	w.Clock.Advance(90 * time.Second) // 28.5 minutes of the check's life are left
	before := w.KV.Puts.Load()
	r, link, p := w.start()

	invs := w.fake.Invoices()
	if len(invs) != 1 {
		t.Fatalf("the bank has %d invoices, want 1", len(invs))
	}
	inv := invs[0]
	wantHook := w.Hooks.URL + "/bank/monobank/callback?ref=" + url.QueryEscape(link)
	checks := []struct {
		what      string
		got, want any
	}{
		{"amount", inv.Amount, int64(1250)},
		{"ccy", inv.Ccy, 980},
		{"reference", inv.MerchantPaymInfo.Reference, link},
		{"destination", inv.MerchantPaymInfo.Destination, "Оплата: Кавʼярня «Ранок»"},
		{"redirectUrl", inv.RedirectURL, "http://pay.test/p/" + link + "/result"},
		{"webHookUrl", inv.WebHookURL, wantHook},
		{"validity", inv.Validity, r.Expires.Sub(w.Clock.Now())},
		{"paymentType", inv.PaymentType, "debit"},
		{"attempt provider", p.Attempt.Provider, monobank.Name},
		{"attempt ref", p.Attempt.ProviderRef, inv.ID},
		{"attempt status", p.Attempt.Status, check.AttemptPending},
		{"attempt valid", p.Attempt.Valid, r.Expires},
		{"attempt created", p.Attempt.Created, w.Clock.Now()},
		{"redirect", p.Redirect.URL, w.bankSr.URL + "/pay/" + inv.ID},
		{"pay url", p.Attempt.PayURL, p.Redirect.URL},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.what, c.got, c.want)
		}
	}
	if p.Redirect.Form != nil {
		t.Errorf("monobank's redirect is a form: %v", p.Redirect.Form)
	}
	if len(link) > 255 {
		t.Errorf("the link reference is %d characters, over the fake's (and LiqPay's) 255", len(link))
	}
	if got := w.KV.Puts.Load() - before; got != 0 {
		t.Errorf("Start wrote to KV: %d writes", got)
	}
}

func TestStartRefused(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	r, link := w.Check(w.m, 1250)

	noCreds := w.merchant("")
	if _, err := w.mb.Start(ctx, w.checkout(noCreds, r, link, 1)); errs.CodeOf(err) != errs.Refused {
		t.Errorf("a merchant without a token: %v, want refused", err)
	}
	wrong := w.merchant(otherTok)
	if _, err := w.mb.Start(ctx, w.checkout(wrong, r, link, 1)); errs.CodeOf(err) != errs.Refused {
		t.Errorf("with a token the bank refuses: %v, want refused", err)
	}
	expired := w.checkout(w.m, r, link, 1)
	expired.Valid = w.Clock.Now().Add(-time.Second)
	if _, err := w.mb.Start(ctx, expired); errs.CodeOf(err) != errs.Conflict {
		t.Errorf("an expired check: %v, want conflict", err)
	}
	w.bankSr.Close()
	if _, err := w.mb.Start(ctx, w.checkout(w.m, r, link, 1)); errs.CodeOf(err) != errs.Unavailable {
		t.Errorf("the bank down: %v, want unavailable", err)
	}
	if n := len(w.fake.Invoices()); n != 0 {
		t.Errorf("the bank has %d invoices, want none", n)
	}
}
