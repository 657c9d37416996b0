package host_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/paylastic/edge/wasm/hosttest"
)

func request(t testing.TB, method, url, auth, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if auth != "" {
		req.Header.Set("Authorization", "Bearer "+auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestGuestHealthz(t *testing.T) {
	e := hosttest.Start(t, hosttest.Options{})
	if code, body := request(t, "GET", e.URL+"/healthz", "", ""); code != 200 || body != "ok" {
		t.Fatalf("healthz = %d %q", code, body)
	}
}

func TestGuestAdminAPI(t *testing.T) {
	e := hosttest.Start(t, hosttest.Options{})
	tests := []struct {
		name, auth, body string
		want             int
		wantWrites       int64
	}{
		{"no token", "", `{"name":"Кавʼярня Ранок"}`, 401, 0},
		{"wrong token", "nope", `{"name":"Кавʼярня Ранок"}`, 401, 0},
		{"malformed JSON", hosttest.AdminToken, `{"name":`, 400, 0},
		{"created", hosttest.AdminToken, `{"name":"Кавʼярня Ранок"}`, 201, 3}, // the merchant, its name index, the code
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, rows := e.KV.Snapshot(), countRows(t, e)
			code, body := request(t, "POST", e.URL+"/admin/merchants", tt.auth, tt.body)
			if code != tt.want {
				t.Fatalf("POST /admin/merchants = %d %s; want %d", code, body, tt.want)
			}
			if got := countRows(t, e) - rows; got != tt.wantWrites {
				t.Errorf("records written = %d, want %d", got, tt.wantWrites)
			}
			if got := e.KV.Snapshot().Sub(before).Puts; got != 0 {
				t.Errorf("KV writes = %d, want 0", got)
			}
			if code != 201 {
				return
			}
			var m struct{ ID, Name, ActivationCode string }
			dec := json.NewDecoder(strings.NewReader(body))
			if err := dec.Decode(&struct {
				ID   *string `json:"id"`
				Name *string `json:"name"`
				Code *string `json:"activation_code"`
			}{&m.ID, &m.Name, &m.ActivationCode}); err != nil || m.ID == "" || m.ActivationCode == "" || m.Name != "Кавʼярня Ранок" {
				t.Fatalf("created merchant = %+v (%v) from %s", m, err, body)
			}
			if code, body := request(t, "GET", e.URL+"/admin/merchants/"+m.ID, hosttest.AdminToken, ""); code != 200 || !strings.Contains(body, "Кавʼярня Ранок") {
				t.Fatalf("GET merchant = %d %s", code, body)
			}
		})
	}
}

// TestGuestFaults: a panic, a fatal trap and a hang inside the guest each
// become an error answer, and the next request is served normally.
func TestGuestFaults(t *testing.T) {
	e := hosttest.Start(t, hosttest.Options{Timeout: 3 * time.Second})
	tests := []struct {
		path string
		want int
	}{
		{"/_test/panic", 500},
		{"/_test/fatal", 500},
		{"/_test/hang", 504},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			start := time.Now()
			if code, body := request(t, "GET", e.URL+tt.path, "", ""); code != tt.want {
				t.Fatalf("GET %s = %d %q, want %d", tt.path, code, body, tt.want)
			}
			if d := time.Since(start); d > 20*time.Second {
				t.Errorf("GET %s took %v", tt.path, d)
			}
			if code, _ := request(t, "GET", e.URL+"/healthz", "", ""); code != 200 {
				t.Fatalf("healthz after %s = %d", tt.path, code)
			}
		})
	}
}

// TestGuestKVFailure: the admin API keeps merchants in the consistent
// store, so KV failing does not stop it, and it writes nothing to KV.
func TestGuestKVFailure(t *testing.T) {
	e := hosttest.Start(t, hosttest.Options{})
	e.Faults.FailAll(true)
	code, body := request(t, "POST", e.URL+"/admin/merchants", hosttest.AdminToken, `{"name":"Shop"}`)
	e.Faults.FailAll(false)
	if code != 201 {
		t.Fatalf("create with failing KV = %d %s; want 201", code, body)
	}
	if n := countKeys(t, e); n != 0 {
		t.Fatalf("%d KV keys written by the admin API", n)
	}
}

func countKeys(t *testing.T, e *hosttest.Env) int {
	p, err := e.Faults.Store.List(context.Background(), "", "", 0)
	if err != nil {
		t.Fatal(err)
	}
	return len(p.Keys)
}

// countRows counts the records in the harness's consistent store.
func countRows(t *testing.T, e *hosttest.Env) int64 {
	t.Helper()
	var n int64
	if err := e.SQL.QueryRow("SELECT count(*) FROM records").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
