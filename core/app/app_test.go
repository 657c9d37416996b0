package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paylastic/edge/core/cas"

	"github.com/paylastic/edge/core/kv"
	"github.com/paylastic/edge/internal/testsupport"
)

// testStores are an app's stores, counted: Puts is KV's, and DB the
// consistent store's.
type testStores struct {
	*kv.Counting
	DB *cas.Mem
}

func newTestApp(t *testing.T, token string) (*App, testStores) {
	t.Helper()
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	st := testStores{&kv.Counting{Store: kv.NewMem(func() time.Time { return now })}, cas.NewMem(func() time.Time { return now })}
	cfg := Config{PublicBaseURL: "http://pay.test", AdminToken: token, LinkSecret: "s"}
	return New(cfg, Deps{KV: st.Counting, Store: st.DB, Now: func() time.Time { return now }, Rand: testsupport.Rand(1)}), st
}

// do is a request to h, recorded (auth: the Authorization header, "" for none).
var do = testsupport.AdminServe

func TestHealthz(t *testing.T) {
	a, _ := newTestApp(t, "")
	rec := do(a.Handler(), "GET", "/healthz", "", "")
	if rec.Code != 200 || rec.Body.String() != "ok" {
		t.Fatalf("healthz = %d %q", rec.Code, rec.Body)
	}
	if rec.Header().Get("X-Frame-Options") != "DENY" || rec.Header().Get("Content-Security-Policy") == "" {
		t.Errorf("security headers missing: %v", rec.Header())
	}
	if rec := do(a.Handler(), "GET", "/nope", "", ""); rec.Code != 404 {
		t.Errorf("unknown route = %d, want 404", rec.Code)
	}
}

func TestAdminAPI(t *testing.T) {
	const tok = "Bearer admin-secret"
	tests := []struct {
		name       string
		auth, body string
		want       int
		wantInBody string
		wantWrites int64
	}{
		{"created", tok, `{"name":"Кавʼярня Ранок"}`, 201, `"activation_code"`, 3}, // the merchant, its name index, the code
		{"with max", tok, `{"name":"Shop","max_amount":"50000"}`, 201, `"max_amount":"50000.00"`, 3},
		{"max as number", tok, `{"name":"Shop","max_amount":500}`, 201, `"max_amount":"500.00"`, 3},
		{"no token", "", `{"name":"x"}`, 401, "unauthorized", 0},
		{"wrong token", "Bearer nope", `{"name":"x"}`, 401, "unauthorized", 0},
		{"token without Bearer", "admin-secret", `{"name":"x"}`, 401, "unauthorized", 0},
		{"malformed JSON", tok, `{"name":`, 400, "malformed JSON", 0},
		{"invalid UTF-8", tok, "{\"name\":\"Caf\xe9\"}", 400, "not valid UTF-8", 0},
		{"escaped half surrogate", tok, `{"name":"Caf\ud800"}`, 400, "U+FFFD", 0},
		{"control character", tok, `{"name":"Shop\u0007"}`, 400, "control characters", 0},
		{"unknown field", tok, `{"name":"x","evil":1}`, 400, "malformed JSON", 0},
		{"two values", tok, `{"name":"x"}{"name":"y"}`, 400, "malformed JSON", 0},
		{"empty name", tok, `{"name":"  "}`, 400, "name is required", 0},
		{"bad max", tok, `{"name":"x","max_amount":"-1"}`, 400, "max_amount", 0},
		{"huge body", tok, `{"name":"` + strings.Repeat("x", 70_000) + `"}`, 400, "body larger", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, store := newTestApp(t, "admin-secret")
			rec := do(a.Handler(), "POST", "/admin/merchants", tt.auth, tt.body)
			if rec.Code != tt.want || !strings.Contains(rec.Body.String(), tt.wantInBody) {
				t.Fatalf("POST /admin/merchants = %d %s; want %d containing %s", rec.Code, rec.Body, tt.want, tt.wantInBody)
			}
			if got := int64(store.DB.Puts()); got != tt.wantWrites {
				t.Errorf("store writes = %d, want %d", got, tt.wantWrites)
			}
			if got := store.Puts.Load(); got != 0 {
				t.Errorf("KV writes = %d, want 0 (merchants are in the consistent store)", got)
			}
		})
	}
}

func TestAdminMerchantLifecycle(t *testing.T) {
	a, _ := newTestApp(t, "admin-secret")
	h := a.Handler()
	const tok = "Bearer admin-secret"
	rec := do(h, "POST", "/admin/merchants", tok, `{"name":"Кавʼярня Ранок"}`)
	var m map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil || rec.Code != 201 {
		t.Fatalf("create = %d %s", rec.Code, rec.Body)
	}
	id := m["id"].(string)
	rec = do(h, "GET", "/admin/merchants/"+id, tok, "")
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "Кавʼярня Ранок") || strings.Contains(rec.Body.String(), "activation_code") {
		t.Fatalf("get = %d %s", rec.Code, rec.Body)
	}
	rec = do(h, "POST", "/admin/merchants/"+id+"/activation-codes", tok, "")
	if rec.Code != 201 || !strings.Contains(rec.Body.String(), "activation_code") {
		t.Fatalf("issue code = %d %s", rec.Code, rec.Body)
	}
	for _, path := range []string{"/admin/merchants/nope", "/admin/merchants/aaaaaaaaaaaaa"} {
		if rec := do(h, "GET", path, tok, ""); rec.Code != 404 {
			t.Errorf("GET %s = %d, want 404", path, rec.Code)
		}
	}
	if rec := do(h, "POST", "/admin/merchants/aaaaaaaaaaaaa/activation-codes", tok, ""); rec.Code != 404 {
		t.Errorf("code for unknown merchant = %d, want 404", rec.Code)
	}
}

func TestAdminDisabledWithoutToken(t *testing.T) {
	a, store := newTestApp(t, "")
	for _, auth := range []string{"", "Bearer ", "Bearer x"} {
		rec := do(a.Handler(), "POST", "/admin/merchants", auth, `{"name":"x"}`)
		if rec.Code != 403 || !bytes.Contains(rec.Body.Bytes(), []byte("disabled")) {
			t.Errorf("auth %q: %d %s; want 403 disabled", auth, rec.Code, rec.Body)
		}
	}
	if store.Puts.Load() != 0 {
		t.Error("disabled admin API wrote to KV")
	}
}

// TestNewWiresTheScheduledPass: the cron entry never calls Handler, so New
// itself must give the checks service its notifier and its banks.
func TestNewWiresTheScheduledPass(t *testing.T) {
	a, _ := newTestApp(t, "")
	if a.Checks.Notifier == nil || a.Checks.Bank == nil {
		t.Fatalf("New left Notifier=%v Bank=%v", a.Checks.Notifier, a.Checks.Bank)
	}
}

// TestSandboxOffUnlessEnabled: without SANDBOX_BANK=1 (production's
// default) the sandbox bank's pages and callback do not exist; with it, its
// callback is there and refuses what it cannot verify.
func TestSandboxOffUnlessEnabled(t *testing.T) {
	tests := []struct {
		name         string
		on           bool
		wantPage     int
		wantCallback int
	}{
		{"off", false, http.StatusNotFound, http.StatusNotFound},
		{"on", true, http.StatusNotFound, http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, store := newTestApp(t, "")
			a.Config.SandboxBank = tt.on
			a = New(a.Config, a.Deps) // built anew from the changed configuration
			a = New(a.Config, a.Deps)
			h := a.Handler()
			if got := do(h, "GET", "/sandbox/pay/forged", "", "").Code; got != tt.wantPage {
				t.Errorf("GET /sandbox/pay/forged = %d, want %d", got, tt.wantPage)
			}
			if got := do(h, "POST", "/bank/sandbox/callback", "", `{"order":"x"}`).Code; got != tt.wantCallback {
				t.Errorf("POST /bank/sandbox/callback = %d, want %d", got, tt.wantCallback)
			}
			if c := store.Snapshot(); c.Puts+c.Deletes != 0 {
				t.Errorf("KV changed: %+v", c)
			}
		})
	}
}

// TestAdminAPIWantsJSON: a body the admin API takes is application/json;
// a form (what curl -d sends) or text/plain is 415 and writes nothing.
func TestAdminAPIWantsJSON(t *testing.T) {
	for _, ct := range []string{"", "text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin1", "application/jsonp"} {
		t.Run(ct, func(t *testing.T) {
			a, store := newTestApp(t, "admin-secret")
			req := httptest.NewRequest("POST", "/admin/merchants", strings.NewReader(`{"name":"Shop"}`))
			req.Header.Set("Authorization", "Bearer admin-secret")
			if ct != "" {
				req.Header.Set("Content-Type", ct)
			}
			rec := httptest.NewRecorder()
			a.Handler().ServeHTTP(rec, req)
			if rec.Code != http.StatusUnsupportedMediaType || !strings.Contains(rec.Body.String(), "application/json") {
				t.Errorf("POST as %q = %d %s; want 415 naming application/json", ct, rec.Code, rec.Body)
			}
			if store.DB.Puts() != 0 {
				t.Errorf("%d records written", store.DB.Puts())
			}
		})
	}
	a, _ := newTestApp(t, "admin-secret")
	req := httptest.NewRequest("POST", "/admin/merchants", strings.NewReader(`{"name":"Shop"}`))
	req.Header.Set("Authorization", "Bearer admin-secret")
	req.Header.Set("Content-Type", "application/json; charset=UTF-8")
	rec := httptest.NewRecorder()
	a.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusCreated {
		t.Errorf("POST as application/json; charset=UTF-8 = %d %s, want 201", rec.Code, rec.Body)
	}
}

// TestScheduledPurges: expired records of the consistent store are deleted
// by the first scheduled pass of an hour, and only then.
func TestScheduledPurges(t *testing.T) {
	a, store := newTestApp(t, "")
	ctx := context.Background()
	now := a.Deps.Now() // 10:00
	if _, err := store.DB.Put(ctx, "x:gone", []byte("v"), 0, now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if _, err := store.DB.Put(ctx, "x:kept", []byte("v"), 0, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if err := a.Scheduled(ctx, now.Add(20*time.Minute)); err != nil { // 10:20: not the hour's first pass
		t.Fatal(err)
	}
	if got := store.DB.Len(); got != 2 {
		t.Errorf("records after the 10:20 pass = %d, want 2 (the expired one is purged hourly)", got)
	}
	if err := a.Scheduled(ctx, now.Add(60*time.Minute)); err != nil { // 11:00
		t.Fatal(err)
	}
	if got := store.DB.Len(); got != 1 {
		t.Errorf("records after the 11:00 pass = %d, want 1", got)
	}
}

// reportsListed is a consistent store that says when the merchants are
// first listed (the daily reports' first read).
type reportsListed struct {
	cas.Store
	once sync.Once
	read chan struct{}
}

func (s *reportsListed) List(ctx context.Context, prefix, after string, limit int) ([]cas.Item, error) {
	if strings.HasPrefix(prefix, "mn:") {
		s.once.Do(func() { close(s.read) })
	}
	return s.Store.List(ctx, prefix, after, limit)
}

// sweepAfterReports is a KV store whose lists (the sweep's) wait until the
// reports have started reading (or give up after a while).
type sweepAfterReports struct {
	kv.Store
	read <-chan struct{}
}

func (s sweepAfterReports) List(ctx context.Context, prefix, cursor string, limit int) (kv.Page, error) {
	select {
	case <-s.read:
	case <-time.After(2 * time.Second):
		return kv.Page{}, errors.New("the reports did not read while the sweep did")
	}
	return s.Store.List(ctx, prefix, cursor, limit)
}

// TestScheduledSweepsAndReportsAtOnce: the pass's two jobs read different
// records, so they run at once: on the Worker the pass waits for the
// longer chain of round trips, not for both one after the other.
func TestScheduledSweepsAndReportsAtOnce(t *testing.T) {
	a, store := newTestApp(t, "")
	sig := &reportsListed{Store: store.DB, read: make(chan struct{})}
	deps := a.Deps
	deps.Store = sig
	deps.KV = sweepAfterReports{Store: store.Counting, read: sig.read}
	a = New(a.Config, deps)
	if err := a.Scheduled(context.Background(), deps.Now().Add(20*time.Minute)); err != nil {
		t.Fatal(err)
	}
}
