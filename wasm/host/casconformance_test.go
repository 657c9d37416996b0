package host_test

import (
	"context"
	"database/sql"
	"io"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/paylastic/edge/core/cas"
	"github.com/paylastic/edge/core/cas/castest"
	"github.com/paylastic/edge/core/cas/castest/cashttp"
	"github.com/paylastic/edge/core/kv"
	"github.com/paylastic/edge/wasm/host"
	"github.com/paylastic/edge/wasm/host/sqlitedb"
)

// TestGuestCASConformance runs the cas conformance suite through the
// guest's own store (package sqlcas, each statement one sqlwire call over
// the host ABI's OpSQL, wasm/guest/sql.go), by way of its /_test/cas routes,
// on both databases the harness offers: its default in-memory SQLite
// (tests) and a WAL file (`make run`). Every operation is a fresh guest
// instance, as every request is, so the races race across instances.
func TestGuestCASConformance(t *testing.T) {
	wasm := testGuestWasm(t)
	tests := []struct {
		name string
		db   func(t *testing.T) *sql.DB // nil: the harness's default
	}{
		{"memory (default)", nil},
		{"file", func(t *testing.T) *sql.DB {
			db, err := sqlitedb.Open(context.Background(), filepath.Join(t.TempDir(), "cas.db"))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return db
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var db *sql.DB
			if tt.db != nil {
				db = tt.db(t)
			}
			url := startGuest(t, wasm, kv.NewMem(nil), time.Now, true, func(o *host.Options) { o.SQL = db })
			castest.Run(t, func(t *testing.T, now func() time.Time) cas.Store {
				return &cashttp.Client{URL: url + "/_test/cas", Now: now, Name: "guest cas"}
			})
		})
	}
}

// casRoutesPresent checks the cas routes of the guest at url against want
// (TestGuestKVRoutesLocked's table): present, they answer "not found" in
// cas's own words.
func casRoutesPresent(t *testing.T, url string, want bool) {
	t.Helper()
	resp, err := http.Get(url + "/_test/cas/get?key=probe")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if got := resp.Header.Get(cashttp.ErrorHeader) == "not_found"; got != want {
		t.Fatalf("GET /_test/cas/get = %d %s %.100q; routes present = %v, want %v", resp.StatusCode, resp.Header.Get(cashttp.ErrorHeader), b, got, want)
	}
}
