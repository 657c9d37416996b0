package liqpay_test

import (
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paylastic/edge/core/bank/liqpay/sign"
	"github.com/paylastic/edge/fakes/liqpay"
	"github.com/paylastic/edge/internal/testsupport"
)

const (
	pubKey  = "i000000000"
	privKey = "test-private-key"
)

// receiver is the merchant's server_url.
type receiver struct {
	*httptest.Server
	mu  sync.Mutex
	got []received
}

type received struct {
	data, signature, contentType string
}

func newReceiver(t *testing.T) *receiver {
	rc := &receiver{}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		rc.mu.Lock()
		rc.got = append(rc.got, received{r.PostForm.Get("data"), r.PostForm.Get("signature"), r.Header.Get("Content-Type")})
		rc.mu.Unlock()
	}))
	t.Cleanup(rc.Close)
	return rc
}

// payments verifies and decodes every callback received, as a client would.
func (rc *receiver) payments(t *testing.T) []liqpay.Payment {
	t.Helper()
	rc.mu.Lock()
	got := append([]received(nil), rc.got...)
	rc.mu.Unlock()
	var out []liqpay.Payment
	for i, c := range got {
		if c.contentType != "application/x-www-form-urlencoded" {
			t.Errorf("callback %d: Content-Type %q", i, c.contentType)
		}
		if err := sign.Verify(privKey, c.data, c.signature); err != nil {
			t.Errorf("callback %d: %v", i, err)
		}
		var p liqpay.Payment
		if err := sign.Decode(c.data, &p); err != nil {
			t.Fatalf("callback %d: %v", i, err)
		}
		out = append(out, p)
	}
	return out
}

func statuses(ps []liqpay.Payment) string {
	var s []string
	for _, p := range ps {
		s = append(s, p.Action+":"+p.Status)
	}
	return strings.Join(s, ",")
}

type env struct {
	fake  *liqpay.Server
	srv   *httptest.Server
	hook  *receiver
	clock *testsupport.Clock
}

func newEnv(t *testing.T) *env {
	t.Helper()
	c := testsupport.NewClock(time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC))
	f := liqpay.New(pubKey, privKey)
	f.Now = c.Now
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return &env{fake: f, srv: srv, hook: newReceiver(t), clock: c}
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

var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func decodeBody(t *testing.T, resp *http.Response, v any) {
	t.Helper()
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}
