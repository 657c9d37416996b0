package monobank_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paylastic/edge/core/bank/monobank/sign"
	"github.com/paylastic/edge/fakes/monobank"
	"github.com/paylastic/edge/internal/testsupport"
)

const token = "test-token"

// receiver is the merchant's webhook endpoint.
type receiver struct {
	*httptest.Server
	mu    sync.Mutex
	got   []received
	codes []int // status codes to answer, in order; then 200
}

type received struct {
	body        []byte
	xSign       string
	contentType string
}

func newReceiver(t *testing.T) *receiver {
	rc := &receiver{}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		rc.got = append(rc.got, received{b, r.Header.Get("X-Sign"), r.Header.Get("Content-Type")})
		code := http.StatusOK
		if len(rc.codes) > 0 {
			code, rc.codes = rc.codes[0], rc.codes[1:]
		}
		rc.mu.Unlock()
		w.WriteHeader(code)
	}))
	t.Cleanup(rc.Close)
	return rc
}

func (rc *receiver) received() []received {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]received(nil), rc.got...)
}

type env struct {
	fake  *monobank.Server
	srv   *httptest.Server
	hook  *receiver
	clock *testsupport.Clock
}

func newEnv(t *testing.T) *env {
	t.Helper()
	c := testsupport.NewClock(time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC))
	f := monobank.New(token)
	f.Now = c.Now
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return &env{fake: f, srv: srv, hook: newReceiver(t), clock: c}
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
	for i, w := range e.hook.received() {
		if err := sign.Verify(pub, w.body, w.xSign); err != nil {
			t.Errorf("webhook %d: %v", i, err)
		}
		if w.contentType != "application/json" {
			t.Errorf("webhook %d: Content-Type %q", i, w.contentType)
		}
		var st monobank.StatusResponse
		if err := json.Unmarshal(w.body, &st); err != nil {
			t.Fatalf("webhook %d: %v", i, err)
		}
		out = append(out, st)
	}
	return out
}

func statuses(sts []monobank.StatusResponse) string {
	var s []string
	for _, st := range sts {
		s = append(s, st.Status)
	}
	return strings.Join(s, ",")
}

// noRedirect is a buyer's browser that stops at redirects.
var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func newRecorder() *httptest.ResponseRecorder { return httptest.NewRecorder() }
