package monobank_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/paylastic/edge/core/bank/monobank/sign"
	"github.com/paylastic/edge/fakes/internal/fakebank/fakebanktest"
	"github.com/paylastic/edge/fakes/monobank"
	"github.com/paylastic/edge/internal/testsupport"
)

const token = "test-token"

type env struct {
	fake  *monobank.Server
	srv   *httptest.Server
	hook  *fakebanktest.Receiver // webHookUrl
	clock *testsupport.Clock
}

func newEnv(t *testing.T) *env {
	t.Helper()
	c := fakebanktest.NewClock()
	f := monobank.New(token)
	f.Now = c.Now
	return &env{fake: f, srv: fakebanktest.Serve(t, f), hook: fakebanktest.NewReceiver(t), clock: c}
}

// call makes an API request and decodes a JSON answer into out (if non-nil).
func (e *env) call(t *testing.T, method, path, tok string, body any, out any) int {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		js, _ := json.Marshal(b)
		rd = bytes.NewReader(js)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if tok != "" {
		req.Header.Set("X-Token", tok)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if out != nil && len(raw) > 0 {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("%s %s: decode %q: %v", method, path, raw, err)
		}
	}
	return resp.StatusCode
}

func (e *env) create(t *testing.T, amount int64) monobank.CreateResponse {
	t.Helper()
	var cr monobank.CreateResponse
	code := e.call(t, "POST", "/api/merchant/invoice/create", token, map[string]any{
		"amount": amount, "ccy": 980,
		"merchantPaymInfo": map[string]any{"reference": "INV-1", "destination": "Оплата рахунку INV-1"},
		"redirectUrl":      "https://shop.example/pay/result?ref=INV-1",
		"webHookUrl":       e.hook.URL + "/bank/monobank/callback",
		"validity":         3600,
	}, &cr)
	if code != http.StatusOK || cr.InvoiceID == "" {
		t.Fatalf("create: status %d, %+v", code, cr)
	}
	return cr
}

// createPaid creates an invoice of amount and pays it with the success card.
func (e *env) createPaid(t *testing.T, amount int64) monobank.CreateResponse {
	t.Helper()
	cr := e.create(t, amount)
	if err := e.fake.Pay(cr.InvoiceID, true, ""); err != nil {
		t.Fatal(err)
	}
	return cr
}

// cancelAnswer is an answer of invoice/cancel: a refund's, or an error's.
type cancelAnswer struct {
	monobank.CancelResponse
	monobank.ErrorResponse
}

// cancel calls invoice/cancel with body.
func (e *env) cancel(t *testing.T, body any) (int, cancelAnswer) {
	t.Helper()
	var resp cancelAnswer
	code := e.call(t, "POST", "/api/merchant/invoice/cancel", token, body, &resp)
	return code, resp
}

func (e *env) status(t *testing.T, id string) monobank.StatusResponse {
	t.Helper()
	var st monobank.StatusResponse
	if code := e.call(t, "GET", "/api/merchant/invoice/status?invoiceId="+url.QueryEscape(id), token, nil, &st); code != http.StatusOK {
		t.Fatalf("status %s: HTTP %d", id, code)
	}
	return st
}

// verifyWebhooks checks every received webhook with the key the fake serves,
// as a client would, and decodes them.
func (e *env) verifyWebhooks(t *testing.T) []monobank.StatusResponse {
	t.Helper()
	var pk monobank.PubkeyResponse
	e.call(t, "GET", "/api/merchant/pubkey", token, nil, &pk)
	pub, err := sign.ParsePublicKey(pk.Key)
	if err != nil {
		t.Fatal(err)
	}
	var out []monobank.StatusResponse
	for i, w := range e.hook.Received() {
		if err := sign.Verify(pub, w.Body, w.Header.Get("X-Sign")); err != nil {
			t.Errorf("webhook %d: %v", i, err)
		}
		if ct := w.Header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("webhook %d: Content-Type %q", i, ct)
		}
		var st monobank.StatusResponse
		if err := json.Unmarshal(w.Body, &st); err != nil {
			t.Fatalf("webhook %d: %v", i, err)
		}
		out = append(out, st)
	}
	return out
}

func statuses(sts []monobank.StatusResponse) string {
	return fakebanktest.Join(sts, func(st monobank.StatusResponse) string { return st.Status })
}

func newRecorder() *httptest.ResponseRecorder { return httptest.NewRecorder() }
