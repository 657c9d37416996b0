package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paylastic/edge/core/bank"
	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/ids"
	"github.com/paylastic/edge/core/kv"
	"github.com/paylastic/edge/core/merchant"
	"github.com/paylastic/edge/internal/testsupport"
)

func TestReadCard(t *testing.T) {
	tests := []struct {
		number, exp, cvv string
		want             problem
	}{
		{"4242 4242 4242 4242", "12/30", "123", ""},
		{"4242-4242-4242-4242", "1230", "1234", ""},
		{"4000000000000002", "12 / 2030", "000", ""},
		{"5555 5555 5555 4444", "11/26", "123", ""}, // valid through November 2026
		{"4242 4242 4242 4241", "12/30", "123", badNumber},
		{"4242 4242 424", "12/30", "123", badNumber},
		{"4242 4242 4242 424a", "12/30", "123", badNumber},
		{"", "12/30", "123", badNumber},
		{"0000 0000 0000", "12/30", "123", ""}, // passes Luhn: the sandbox accepts it
		{"4242 4242 4242 4242 4242", "12/30", "123", badNumber},
		{"4242 4242 4242 4242", "", "123", badExpiry},
		{"4242 4242 4242 4242", "13/30", "123", badExpiry},
		{"4242 4242 4242 4242", "00/30", "123", badExpiry},
		{"4242 4242 4242 4242", "1/30", "123", badExpiry},
		{"4242 4242 4242 4242", "ab/cd", "123", badExpiry},
		{"4242 4242 4242 4242", "10/26", "123", expired},
		{"4242 4242 4242 4242", "12/30", "12", badCVV},
		{"4242 4242 4242 4242", "12/30", "12345", badCVV},
		{"4242 4242 4242 4242", "12/30", "12a", badCVV},
	}
	for _, tt := range tests {
		_, got := readCard(tt.number, tt.exp, tt.cvv, testsupport.T0)
		if got != tt.want {
			t.Errorf("readCard(%q, %q, %q) = %q, want %q", tt.number, tt.exp, tt.cvv, got, tt.want)
		}
	}
}

func TestOutcome(t *testing.T) {
	tests := []struct {
		number string
		want   check.AttemptStatus
		reason string
	}{
		{"4242424242424242", check.AttemptSuccess, ""},
		{"4000000000000002", check.AttemptFailure, "Недостатньо коштів"},
		{"4000000000009995", check.AttemptFailure, "Операцію відхилено банком"},
		{"5555555555554444", check.AttemptSuccess, ""},
	}
	for _, tt := range tests {
		c, p := readCard(tt.number, "12/30", "123", testsupport.T0)
		if p != "" {
			t.Fatalf("%s: %s", tt.number, p)
		}
		if st, reason := c.outcome(); st != tt.want || reason != tt.reason {
			t.Errorf("outcome of %s = %s %q, want %s %q", tt.number, st, reason, tt.want, tt.reason)
		}
		if got := c.last4(); got != tt.number[12:] {
			t.Errorf("last4 = %q", got)
		}
	}
}

// fixture is a sandbox bank with a check, and a recorder for its callbacks.
type fixture struct {
	now    time.Time
	kv     *kv.Mem
	b      *Bank
	signer check.Signer
	ref    check.Ref
	link   string
	logs   *bytes.Buffer
	mu     sync.Mutex
	posted []*http.Request
	bodies [][]byte
	srv    *httptest.Server
	hook   string // the callback URL given to the bank
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{now: testsupport.T0, logs: &bytes.Buffer{}}
	clock := func() time.Time { return f.now }
	f.kv = kv.NewMem(clock)
	f.signer = check.NewSigner("test link secret")
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body := make([]byte, 4096)
		n, _ := r.Body.Read(body)
		f.mu.Lock()
		f.posted = append(f.posted, r)
		f.bodies = append(f.bodies, body[:n])
		f.mu.Unlock()
	}))
	t.Cleanup(f.srv.Close)
	f.b = New(bank.Env{KV: f.kv, Now: clock, Rand: testsupport.Rand(3), Signer: f.signer, BaseURL: "https://pay.test", Log: slog.New(slog.NewTextHandler(f.logs, nil))})
	f.ref = check.Ref{ID: ids.Encode(make([]byte, 16)), Merchant: ids.Encode([]byte("merchant")), Operator: ids.Encode([]byte("operator")), Amount: 1250, Created: testsupport.T0, Expires: testsupport.T0.Add(30 * time.Minute)}
	f.hook = "https://pay.test/bank/sandbox/callback"
	var err error
	if f.link, err = f.signer.Encode(f.ref); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) start(t *testing.T, lang string) bank.Payment {
	t.Helper()
	p, err := f.b.Start(context.Background(), bank.Checkout{
		Merchant: merchant.Merchant{ID: f.ref.Merchant, Name: "Кавʼярня «Ранок»"}, Ref: f.ref, Token: f.link, Seq: 1, Lang: lang,
		ResultURL: "https://pay.test/p/" + f.link + "/result", CallbackURL: f.hook, Valid: f.ref.Expires,
	})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestStart(t *testing.T) {
	f := newFixture(t)
	p := f.start(t, "uk")
	again := f.start(t, "uk")
	if p.Attempt.ProviderRef != again.Attempt.ProviderRef || p.Redirect.URL != again.Redirect.URL {
		t.Errorf("the same attempt started twice is two payments: %s, %s", p.Attempt.ProviderRef, again.Attempt.ProviderRef)
	}
	if !strings.HasPrefix(p.Redirect.URL, "https://pay.test/sandbox/pay/") || p.Redirect.Form != nil || p.Attempt.PayURL != p.Redirect.URL {
		t.Errorf("redirect = %+v", p.Redirect)
	}
	if a := p.Attempt; a.Provider != Name || a.Status != check.AttemptPending || !a.Valid.Equal(f.ref.Expires) {
		t.Errorf("attempt = %+v", a)
	}
	if p.Attempt.ProviderRef == f.b.PaymentID(f.ref.ID, 2) {
		t.Error("attempts 1 and 2 share a payment id")
	}
	if keys, _ := f.kv.List(context.Background(), "", "", 0); len(keys.Keys) != 0 {
		t.Errorf("start wrote %v", keys.Keys)
	}
}

func TestOrderTamper(t *testing.T) {
	f := newFixture(t)
	tok := strings.TrimPrefix(f.start(t, "uk").Redirect.URL, "https://pay.test/sandbox/pay/")
	if _, err := f.b.decodeOrder(tok); err != nil {
		t.Fatalf("decode own order: %v", err)
	}
	body, mac, _ := strings.Cut(tok, ".")
	other := New(bank.Env{Signer: check.NewSigner("other"), Log: testsupport.Discard()})
	for name, bad := range map[string]string{
		"empty": "", "no mac": body, "flipped": body[:10] + "A" + body[11:] + "." + mac, "bad mac": body + ".AAAA",
		"other key": func() string { s, _ := other.encodeOrder(order{Payment: "x"}); return s }(),
		"huge":      strings.Repeat("A", 5000) + "." + mac,
	} {
		if _, err := f.b.decodeOrder(bad); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func (f *fixture) signed(t *testing.T, fields map[string]any) bank.Callback {
	body, _ := json.Marshal(fields)
	return bank.Callback{Header: http.Header{SignatureHeader: {Sign(CallbackKey(f.signer), body)}}, Body: body}
}

func TestCallback(t *testing.T) {
	f := newFixture(t)
	good := func() map[string]any {
		return map[string]any{"event_id": "e1", "payment_id": "p1", "order_id": f.link, "status": "success", "amount": 1250, "currency": "UAH", "modified": testsupport.T0, "timestamp": testsupport.T0.Unix()}
	}
	with := func(k string, v any) map[string]any { m := good(); m[k] = v; return m }
	tests := []struct {
		name string
		cb   bank.Callback
		want errs.Code
	}{
		{"good", f.signed(t, good()), ""},
		{"unsigned", bank.Callback{Header: http.Header{}, Body: f.signed(t, good()).Body}, errs.Unauthorized},
		{"bad hex", bank.Callback{Header: http.Header{SignatureHeader: {"zz"}}, Body: f.signed(t, good()).Body}, errs.Unauthorized},
		{"tampered", func() bank.Callback {
			c := f.signed(t, good())
			c.Body = bytes.Replace(c.Body, []byte("1250"), []byte("1"), 1)
			return c
		}(), errs.Unauthorized},
		{"other key", func() bank.Callback {
			c := f.signed(t, good())
			c.Header.Set(SignatureHeader, Sign(CallbackKey(check.NewSigner("other")), c.Body))
			return c
		}(), errs.Unauthorized},
		{"stale", f.signed(t, with("timestamp", testsupport.T0.Add(-MaxAge-time.Second).Unix())), errs.Unauthorized},
		{"future", f.signed(t, with("timestamp", testsupport.T0.Add(maxSkew+time.Second).Unix())), errs.Unauthorized},
		{"unknown status", f.signed(t, with("status", "sandbox")), errs.Invalid},
		{"no payment", f.signed(t, with("payment_id", "")), errs.Invalid},
		{"other currency", f.signed(t, with("currency", "USD")), errs.Invalid},
		{"not json", bank.Callback{Header: http.Header{SignatureHeader: {Sign(CallbackKey(f.signer), []byte("{"))}}, Body: []byte("{")}, errs.Invalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := f.b.Callback(context.Background(), tt.cb)
			if got := errs.CodeOf(err); got != tt.want {
				t.Fatalf("Callback = %v (%s), want %q", err, got, tt.want)
			}
			if err == nil && (n.Token != f.link || n.Amount != 1250 || n.Event.Status != check.AttemptSuccess || n.Event.ProviderRef != "p1" || n.ID != "e1") {
				t.Errorf("notification = %+v", n)
			}
		})
	}
}

func TestStatus(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	a := f.start(t, "uk").Attempt
	ev, err := f.b.Status(ctx, merchant.Merchant{}, f.ref, a)
	if err != nil || ev.Status != check.AttemptPending {
		t.Fatalf("status before paying = %s, %v; want pending", ev.Status, err)
	}
	f.now = a.Valid.Add(grace - time.Second)
	if ev, _ := f.b.Status(ctx, merchant.Merchant{}, f.ref, a); ev.Status != check.AttemptPending {
		t.Errorf("status just after the page closed = %s, want pending (the record may lag)", ev.Status)
	}
	f.now = a.Valid.Add(grace)
	if ev, _ := f.b.Status(ctx, merchant.Merchant{}, f.ref, a); ev.Status != check.AttemptExpired {
		t.Errorf("status of an abandoned page = %s, want expired", ev.Status)
	}
	rec := record{Payment: a.ProviderRef, Check: f.ref.ID, Amount: f.ref.Amount, Status: check.AttemptFailure, Reason: "Недостатньо коштів", Modified: testsupport.T0}
	if err := f.b.putRecord(ctx, rec); err != nil {
		t.Fatal(err)
	}
	ev, err = f.b.Status(ctx, merchant.Merchant{}, f.ref, a)
	if err != nil || ev.Status != check.AttemptFailure || ev.Reason != rec.Reason || !ev.Modified.Equal(testsupport.T0) {
		t.Errorf("status = %+v, %v; want the recorded failure", ev, err)
	}
	other := f.ref
	other.ID = ids.Encode(bytes.Repeat([]byte{1}, 16))
	if _, err := f.b.Status(ctx, merchant.Merchant{}, other, a); err == nil {
		t.Error("status of another check's payment was answered")
	}
	other = f.ref
	other.Amount = 1
	if _, err := f.b.Status(ctx, merchant.Merchant{}, other, a); err == nil {
		t.Error("status for another amount was answered")
	}
}

// TestPay plays the buyer on the card page: the bank records the outcome
// without the card, posts a signed callback and sends the buyer back.
func TestPay(t *testing.T) {
	f := newFixture(t)
	f.hook = f.srv.URL + "/bank/sandbox/callback"
	p := f.start(t, "uk")
	mux := http.NewServeMux()
	f.b.Register(mux)
	path := strings.TrimPrefix(p.Redirect.URL, "https://pay.test")
	form := url.Values{"card": {"4000 0000 0000 0002"}, "exp": {"12/30"}, "cvv": {"987"}}
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("POST", path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	mux.ServeHTTP(rec, req)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "https://pay.test/p/"+f.link+"/result" {
		t.Fatalf("pay = %d to %q", rec.Code, rec.Header().Get("Location"))
	}
	raw, err := f.kv.Get(context.Background(), recordKey(p.Attempt.ProviderRef))
	if err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	posted, bodies := f.posted, f.bodies
	f.mu.Unlock()
	if len(posted) != 1 {
		t.Fatalf("callbacks = %d, want 1", len(posted))
	}
	cb := bank.Callback{Header: posted[0].Header, Body: bodies[0]}
	n, err := f.b.Callback(context.Background(), cb)
	if err != nil || n.Event.Status != check.AttemptFailure || n.Event.Reason != "Недостатньо коштів" || n.Token != f.link {
		t.Errorf("the bank's own callback: %+v, %v", n, err)
	}
	for what, b := range map[string][]byte{"record": raw, "callback": bodies[0], "log": f.logs.Bytes()} {
		if bytes.Contains(b, []byte("4000000000000002")) || bytes.Contains(b, []byte("4000 0000")) || bytes.Contains(b, []byte("987")) {
			t.Errorf("the %s holds the card number or CVV: %s", what, b)
		}
	}
	if !bytes.Contains(raw, []byte(`"last4":"0002"`)) {
		t.Errorf("record = %s, want the last 4 digits", raw)
	}
	// the same page again: decided already, nothing charged or sent twice
	form.Set("card", "4242424242424242")
	rec = httptest.NewRecorder()
	req = httptest.NewRequest("POST", path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	mux.ServeHTTP(rec, req)
	f.mu.Lock()
	defer f.mu.Unlock()
	if rec.Code != http.StatusSeeOther || len(f.posted) != 1 {
		t.Errorf("second payment on one page: %d, %d callbacks", rec.Code, len(f.posted))
	}
}

// TestPageGolden renders the card page in its states.
func TestPageGolden(t *testing.T) {
	tests := []struct {
		name   string
		lang   string
		method string
		form   url.Values
		setup  func(f *fixture, a check.Attempt)
		want   int
	}{
		{"form", "uk", "GET", nil, nil, 200},
		{"form", "en", "GET", nil, nil, 200},
		{"bad_number", "uk", "POST", url.Values{"card": {"4242 4242 4242 4241"}, "exp": {"12/30"}, "cvv": {"123"}}, nil, 422},
		{"bad_number", "en", "POST", url.Values{"card": {"4242 4242 4242 4241"}, "exp": {"12/30"}, "cvv": {"123"}}, nil, 422},
		{"bad_cvv", "uk", "POST", url.Values{"card": {"4242 4242 4242 4242"}, "exp": {"12/30"}, "cvv": {"1"}}, nil, 422},
		{"bad_cvv", "en", "POST", url.Values{"card": {"4242 4242 4242 4242"}, "exp": {"12/30"}, "cvv": {"1"}}, nil, 422},
		{"done", "uk", "GET", nil, func(f *fixture, a check.Attempt) {
			_ = f.b.putRecord(context.Background(), record{Payment: a.ProviderRef, Status: check.AttemptSuccess})
		}, 200},
		{"done", "en", "GET", nil, func(f *fixture, a check.Attempt) {
			_ = f.b.putRecord(context.Background(), record{Payment: a.ProviderRef, Status: check.AttemptSuccess})
		}, 200},
		{"expired", "uk", "GET", nil, func(f *fixture, a check.Attempt) { f.now = a.Valid }, 200},
		{"expired", "en", "POST", url.Values{"card": {"4242 4242 4242 4242"}, "exp": {"12/30"}, "cvv": {"123"}}, func(f *fixture, a check.Attempt) { f.now = a.Valid }, 410},
	}
	for _, tt := range tests {
		t.Run(tt.name+"."+tt.lang, func(t *testing.T) {
			f := newFixture(t)
			p := f.start(t, tt.lang)
			if tt.setup != nil {
				tt.setup(f, p.Attempt)
			}
			mux := http.NewServeMux()
			f.b.Register(mux)
			req := httptest.NewRequest(tt.method, strings.TrimPrefix(p.Redirect.URL, "https://pay.test"), strings.NewReader(tt.form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			rec := httptest.NewRecorder()
			mux.ServeHTTP(rec, req)
			if rec.Code != tt.want {
				t.Errorf("status = %d, want %d", rec.Code, tt.want)
			}
			testsupport.Golden(t, "card_"+tt.name+"."+tt.lang, rec.Body.String())
		})
	}
	t.Run("notfound", func(t *testing.T) {
		f := newFixture(t)
		mux := http.NewServeMux()
		f.b.Register(mux)
		for _, path := range []string{"/sandbox/pay/forged", "/sandbox/elsewhere"} {
			rec := httptest.NewRecorder()
			mux.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
			if rec.Code != 404 {
				t.Errorf("GET %s = %d, want 404", path, rec.Code)
			}
			testsupport.Golden(t, "card_notfound.uk", rec.Body.String())
		}
	})
}

func TestMessagesComplete(t *testing.T) {
	for key := range messages["uk"] {
		if messages["en"][key] == "" {
			t.Errorf("%q has no English", key)
		}
	}
	for key := range messages["en"] {
		if messages["uk"][key] == "" {
			t.Errorf("%q has no Ukrainian", key)
		}
	}
}
