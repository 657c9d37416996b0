package admin_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/paylastic/edge/core/admin"
	"github.com/paylastic/edge/core/bank"
	"github.com/paylastic/edge/core/bank/sandbox"
	"github.com/paylastic/edge/core/cas"
	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/checks"
	"github.com/paylastic/edge/core/kv"
	"github.com/paylastic/edge/core/merchant"
	"github.com/paylastic/edge/core/money"
	"github.com/paylastic/edge/internal/testsupport"
)

// exportEnv is the admin API over a merchant with two checks on the Kyiv
// day 2026-11-26: one paid at monobank, one open (expired by the time of
// the export), made by a cashier whose name needs CSV quoting.
type exportEnv struct {
	h       http.Handler
	m       merchant.Merchant
	ids     []string // the checks, in order of creation
	opID    string
	cashier string
}

func newExportEnv(t *testing.T) *exportEnv {
	t.Helper()
	ctx := context.Background()
	now := testsupport.T0 // 12:00 in Kyiv
	clock := func() time.Time { return now }
	db := cas.NewMem(clock)
	rnd := testsupport.Rand(5)
	signer := check.NewSigner("secret")
	ms := merchant.Store{DB: db, Now: clock, Rand: rnd, Secret: signer.Key(), DefaultProvider: "sandbox"}
	svc := &checks.Service{KV: kv.NewMem(clock), States: db, Now: clock, Rand: rnd, Signer: signer, Merchants: ms,
		Bank: bank.Registry{sandbox.Name: &sandbox.Bank{}}, Log: testsupport.Discard(), TTL: 30 * time.Minute}
	m, code, err := ms.Create(ctx, "Кавʼярня", 5000*money.Hryvnia)
	if err != nil {
		t.Fatal(err)
	}
	e := &exportEnv{m: m, cashier: `Оля "Каса, 1"`}
	_, op, err := ms.Redeem(ctx, code, "telegram", "42", e.cashier)
	if err != nil {
		t.Fatal(err)
	}
	e.opID = op.ID(signer.Key())
	for i, amount := range []money.Amount{1250, 120000} {
		p, err := svc.Prepare(ctx, checks.NewCheck{Operator: op, Chat: check.Chat{Messenger: "telegram", ChatID: "42", UserID: "42", Lang: "uk"},
			Amount: amount, Identity: "telegram:42:" + string(rune('1'+i)), At: now})
		if err != nil {
			t.Fatal(err)
		}
		if err := svc.Save(ctx, p.Check); err != nil {
			t.Fatal(err)
		}
		e.ids = append(e.ids, p.Check.ID)
		now = now.Add(time.Minute)
	}
	paid := check.State{Status: check.Paid, Attempts: []check.Attempt{{Provider: "monobank", ProviderRef: "2402AbC", Status: check.AttemptSuccess,
		Modified: testsupport.T0.Add(3 * time.Minute)}}}
	b, _ := json.Marshal(paid)
	if _, err := db.Put(ctx, "s:"+e.ids[0], b, 0, time.Time{}); err != nil {
		t.Fatal(err)
	}
	now = now.Add(time.Hour) // the second check has expired, unswept
	api := &admin.API{Token: adminToken, Merchants: ms, Checks: svc, Log: testsupport.Discard()}
	mux := http.NewServeMux()
	api.Register(mux)
	e.h = mux
	return e
}

func (e *exportEnv) get(t *testing.T, path, accept string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	req.Header.Set("Authorization", "Bearer "+adminToken)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	return rec
}

func TestExportCSV(t *testing.T) {
	e := newExportEnv(t)
	base := "/admin/merchants/" + e.m.ID + "/checks?from=2026-11-26&to=2026-11-26"
	want := "id,number,status,amount,currency,created_kyiv,paid_kyiv,cashier_id,cashier,messenger,bank,bank_payment_id,test\r\n" +
		e.ids[0] + "," + check.ShortID(e.ids[0]) + ",paid,12.50,UAH,2026-11-26 12:00:00,2026-11-26 12:03:00," + e.opID + `,"Оля ""Каса, 1""",telegram,monobank,2402AbC,false` + "\r\n" +
		e.ids[1] + "," + check.ShortID(e.ids[1]) + ",expired,1200.00,UAH,2026-11-26 12:01:00,," + e.opID + `,"Оля ""Каса, 1""",telegram,,,false` + "\r\n"
	for _, tt := range []struct{ name, path, accept string }{
		{"format", base + "&format=csv", ""},
		{"accept", base, "text/csv"},
		{"format wins", base + "&format=csv", "application/json"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := e.get(t, tt.path, tt.accept)
			if rec.Code != http.StatusOK {
				t.Fatalf("GET = %d %s", rec.Code, rec.Body)
			}
			if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
				t.Errorf("Content-Type = %q", ct)
			}
			if got := rec.Body.String(); got != want {
				t.Errorf("got\n%q\nwant\n%q", got, want)
			}
		})
	}
}

func TestExportNDJSON(t *testing.T) {
	e := newExportEnv(t)
	for _, accept := range []string{"", "application/json", "application/x-ndjson"} {
		rec := e.get(t, "/admin/merchants/"+e.m.ID+"/checks?from=2026-11-26&to=2026-11-26", accept)
		if ct := rec.Header().Get("Content-Type"); rec.Code != http.StatusOK || !strings.HasPrefix(ct, "application/x-ndjson") {
			t.Fatalf("Accept %q: %d %s", accept, rec.Code, ct)
		}
		var rows []map[string]any
		sc := bufio.NewScanner(rec.Body)
		for sc.Scan() {
			var row map[string]any
			if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
				t.Fatalf("line %q: %v", sc.Text(), err)
			}
			rows = append(rows, row)
		}
		if len(rows) != 2 {
			t.Fatalf("Accept %q: %d rows, want 2", accept, len(rows))
		}
		r := rows[0]
		for k, want := range map[string]any{"id": e.ids[0], "status": "paid", "amount": "12.50", "created_kyiv": "2026-11-26T12:00:00+02:00",
			"paid_kyiv": "2026-11-26T12:03:00+02:00", "cashier": e.cashier, "cashier_id": e.opID, "bank": "monobank", "bank_payment_id": "2402AbC"} {
			if r[k] != want {
				t.Errorf("%s = %v, want %v", k, r[k], want)
			}
		}
	}
}

// TestExportPages: with limit=1 each page has one check and a Link to the
// next; the last has none.
func TestExportPages(t *testing.T) {
	e := newExportEnv(t)
	path := "/admin/merchants/" + e.m.ID + "/checks?from=2026-11-26&to=2026-11-26&format=json&limit=1"
	var got []string
	for i := 0; path != "" && i < 5; i++ {
		rec := e.get(t, path, "")
		if rec.Code != http.StatusOK {
			t.Fatalf("page %d: %d %s", i, rec.Code, rec.Body)
		}
		for _, line := range strings.Split(strings.TrimSpace(rec.Body.String()), "\n") {
			if line != "" {
				var row struct{ ID string }
				_ = json.Unmarshal([]byte(line), &row)
				got = append(got, row.ID)
			}
		}
		path = ""
		if link := rec.Header().Get("Link"); link != "" {
			path = strings.TrimSuffix(strings.TrimPrefix(link, "<"), `>; rel="next"`)
		}
	}
	if len(got) != 2 || path != "" {
		t.Errorf("pages gave %v (next %q), want both checks and no next", got, path)
	}
}

func TestExportRefused(t *testing.T) {
	e := newExportEnv(t)
	base := "/admin/merchants/" + e.m.ID + "/checks"
	tests := []struct {
		name, path string
		want       int
	}{
		{"no days", base, http.StatusBadRequest},
		{"bad day", base + "?from=26.11.2026&to=2026-11-26", http.StatusBadRequest},
		{"to before from", base + "?from=2026-11-26&to=2026-11-25", http.StatusBadRequest},
		{"over a month", base + "?from=2026-10-01&to=2026-11-01", http.StatusBadRequest},
		{"a month", base + "?from=2026-11-01&to=2026-12-01", http.StatusOK},
		{"bad format", base + "?from=2026-11-26&to=2026-11-26&format=xml", http.StatusBadRequest},
		{"bad limit", base + "?from=2026-11-26&to=2026-11-26&limit=0", http.StatusBadRequest},
		{"bad cursor", base + "?from=2026-11-26&to=2026-11-26&cursor=!!", http.StatusBadRequest},
		{"unknown merchant", "/admin/merchants/nope/checks?from=2026-11-26&to=2026-11-26", http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if rec := e.get(t, tt.path, ""); rec.Code != tt.want {
				t.Errorf("GET %s = %d, want %d: %s", tt.path, rec.Code, tt.want, rec.Body)
			}
		})
	}
	req := httptest.NewRequest("GET", base+"?from=2026-11-26&to=2026-11-26", nil)
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	if rec.Code != http.StatusUnauthorized {
		t.Errorf("no token: %d, want 401", rec.Code)
	}
}
