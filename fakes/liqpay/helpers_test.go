package liqpay_test

import (
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"testing"

	"github.com/paylastic/edge/core/bank/liqpay/sign"
	"github.com/paylastic/edge/fakes/internal/fakebank/fakebanktest"
	"github.com/paylastic/edge/fakes/liqpay"
	"github.com/paylastic/edge/internal/testsupport"
)

const (
	pubKey  = "i000000000"
	privKey = "test-private-key"
)

// payments verifies and decodes every callback received, as a client would.
func (e *env) payments(t *testing.T) []liqpay.Payment {
	t.Helper()
	var out []liqpay.Payment
	for i, c := range e.hook.Received() {
		if ct := c.Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
			t.Errorf("callback %d: Content-Type %q", i, ct)
		}
		form, err := url.ParseQuery(string(c.Body))
		if err != nil {
			t.Fatalf("callback %d: %v", i, err)
		}
		data := form.Get("data")
		if err := sign.Verify(privKey, data, form.Get("signature")); err != nil {
			t.Errorf("callback %d: %v", i, err)
		}
		var p liqpay.Payment
		if err := sign.Decode(data, &p); err != nil {
			t.Fatalf("callback %d: %v", i, err)
		}
		out = append(out, p)
	}
	return out
}

func statuses(ps []liqpay.Payment) string {
	return fakebanktest.Join(ps, func(p liqpay.Payment) string { return p.Action + ":" + p.Status })
}

type env struct {
	fake  *liqpay.Server
	srv   *httptest.Server
	hook  *fakebanktest.Receiver // server_url
	clock *testsupport.Clock
}

func newEnv(t *testing.T) *env {
	t.Helper()
	c := fakebanktest.NewClock()
	f := liqpay.New(pubKey, privKey)
	f.Now = c.Now
	return &env{fake: f, srv: fakebanktest.Serve(t, f), hook: fakebanktest.NewReceiver(t), clock: c}
}

// params are valid checkout params for orderID, with overrides applied
// (a nil value deletes the key).
func (e *env) params(orderID string, over map[string]any) map[string]any {
	p := map[string]any{
		"version": 3, "public_key": pubKey, "action": "pay",
		"amount": json.Number("42.00"), "currency": "UAH",
		"description": "Оплата рахунку INV-1", "order_id": orderID,
		"result_url": "https://shop.example/pay/result?ref=INV-1",
		"server_url": e.hook.URL + "/bank/liqpay/callback", "language": "uk",
	}
	maps.Copy(p, over)
	for k, v := range over {
		if v == nil {
			delete(p, k)
		}
	}
	return p
}

func form(t *testing.T, params any, key string) url.Values {
	t.Helper()
	data, err := sign.Data(params)
	if err != nil {
		t.Fatal(err)
	}
	return url.Values{"data": {data}, "signature": {sign.Signature(key, data)}}
}

var actionRE = regexp.MustCompile(`action="([^"]*/pay/[^"]+)"`)

// checkout posts the checkout form like the buyer's browser and returns the
// status, the page and the card form's action.
func (e *env) checkout(t *testing.T, v url.Values) (int, string, string) {
	t.Helper()
	resp, err := http.PostForm(e.srv.URL+"/api/3/checkout", v)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	action := ""
	if m := actionRE.FindSubmatch(b); m != nil {
		action = string(m[1])
	}
	return resp.StatusCode, string(b), action
}

// request calls /api/request and decodes the JSON answer.
func (e *env) request(t *testing.T, params map[string]any) map[string]any {
	t.Helper()
	resp, err := http.PostForm(e.srv.URL+"/api/request", form(t, params, privKey))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("api/request: HTTP %d", resp.StatusCode)
	}
	return out
}

func (e *env) status(t *testing.T, orderID string) map[string]any {
	t.Helper()
	return e.request(t, map[string]any{"version": 3, "public_key": pubKey, "action": "status", "order_id": orderID})
}

func decodeBody(t *testing.T, resp *http.Response, v any) {
	t.Helper()
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}
