package liqpay_test

import (
	"context"
	"encoding/json"
	"net/url"
	"testing"

	"github.com/paylastic/edge/core/bank/liqpay"
	"github.com/paylastic/edge/core/bank/liqpay/sign"
	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/errs"
)

func TestStart(t *testing.T) {
	w := newWorld(t)
	before := w.KV.Puts.Load()
	r, link := w.Check(w.m, 1250)
	p, err := w.lp.Start(context.Background(), w.checkout(w.m, r, link, 2, "en"))
	if err != nil {
		t.Fatal(err)
	}
	if w.KV.Puts.Load() != before {
		t.Error("Start wrote to KV")
	}
	rd := p.Redirect
	if rd.URL != w.bankSr.URL+"/api/3/checkout" || len(rd.Form) != 2 {
		t.Fatalf("redirect = %+v, want a form of data and signature to the checkout", rd)
	}
	data := rd.Form.Get("data")
	if err := sign.Verify(privateKey, data, rd.Form.Get("signature")); err != nil {
		t.Fatalf("the form's signature: %v", err)
	}
	var got map[string]any
	if err := sign.Decode(data, &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"version":      json.Number("3"),
		"public_key":   publicKey,
		"action":       "pay",
		"amount":       json.Number("12.50"),
		"currency":     "UAH",
		"description":  "Payment: Кавʼярня «Ранок»",
		"order_id":     link + "-2",
		"result_url":   "http://pay.test/p/" + link + "/result?lang=en",
		"server_url":   w.Hooks.URL + "/bank/liqpay/callback?ref=" + url.QueryEscape(link),
		"language":     "en",
		"expired_date": "2026-11-26 10:30:00",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("data %s = %v, want %v", k, got[k], v)
		}
	}
	if len(got) != len(want) {
		t.Errorf("data has %d fields, want %d: %v", len(got), len(want), got)
	}
	a := p.Attempt
	if a.Provider != liqpay.Name || a.ProviderRef != link+"-2" || a.Status != check.AttemptPending || !a.Valid.Equal(r.Expires) {
		t.Errorf("attempt = %+v", a)
	}
	if len(link+"-2") > 255 {
		t.Errorf("order_id is %d characters, over LiqPay's 255", len(link+"-2"))
	}

	// the fake takes the form, and the same form again (a reload)
	for i := range 2 {
		if status, body := w.post(rd); status != 200 {
			t.Fatalf("checkout %d = %d:\n%s", i, status, body)
		}
	}
	// Resume posts the very same checkout, whatever the buyer's language now
	res, err := w.lp.Resume(context.Background(), w.checkout(w.m, r, link, 2, "uk"), a)
	if err != nil {
		t.Fatal(err)
	}
	if res.URL != rd.URL || res.Form.Get("data") != data || res.Form.Get("signature") != rd.Form.Get("signature") {
		t.Errorf("Resume = %+v, want the same form as Start", res)
	}
	if status, body := w.post(res); status != 200 {
		t.Errorf("resumed checkout = %d:\n%s", status, body)
	}
	if n := len(w.fake.Orders()); n != 1 {
		t.Errorf("the fake has %d orders, want 1", n)
	}
	// an attempt that kept no data gets the form made again
	a.PayURL = ""
	if res, err := w.lp.Resume(context.Background(), w.checkout(w.m, r, link, 2, "en"), a); err != nil || res.Form.Get("data") != data {
		t.Errorf("Resume without data = %v, %v", res, err)
	}
}

func TestStartSandbox(t *testing.T) {
	w := newWorld(t)
	m := w.merchant(`{"public_key":"` + publicKey + `","private_key":"` + privateKey + `","sandbox":true}`)
	r, link := w.Check(m, 100)
	p, err := w.lp.Start(context.Background(), w.checkout(m, r, link, 1, "uk"))
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	sign.Decode(p.Redirect.Form.Get("data"), &got)
	if got["sandbox"] != "1" || got["amount"] != json.Number("1.00") || got["language"] != "uk" {
		t.Errorf("sandbox checkout data = %v", got)
	}
}

func TestStartRefused(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	r, link := w.Check(w.m, 1250)
	if _, err := w.lp.Start(ctx, w.checkout(w.merchant(""), r, link, 1, "uk")); err == nil {
		t.Error("started a payment for a merchant without keys")
	}
	c := w.checkout(w.m, r, link, 1, "uk")
	c.Valid = w.Clock.Now()
	if _, err := w.lp.Start(ctx, c); errs.CodeOf(err) != errs.Conflict {
		t.Errorf("an expired check: %v, want conflict", err)
	}
}
