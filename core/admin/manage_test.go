package admin_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/paylastic/edge/core/merchant"
)

const bearer = "Bearer " + adminToken

// TestListMerchants: a lost id is found by a prefix of the name in any
// case, page by page; the last page has no cursor.
func TestListMerchants(t *testing.T) {
	e := newEnv(t)
	for _, n := range []string{"Кав'ярня Ранок", "кав'ярня Вечір", "Пекарня"} {
		if _, _, err := e.ms.Create(context.Background(), n, 0); err != nil {
			t.Fatal(err)
		}
	}
	type page struct {
		Merchants []struct{ ID, Name string } `json:"merchants"`
		Cursor    string                      `json:"cursor"`
	}
	get := func(q string) page {
		t.Helper()
		rec := e.do("GET", "/admin/merchants"+q, bearer, "")
		var p page
		if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &p) != nil {
			t.Fatalf("GET %s = %d %s", q, rec.Code, rec.Body)
		}
		return p
	}
	tests := []struct {
		q    string
		want []string
	}{
		{"?prefix=" + url.QueryEscape("кав"), []string{"кав'ярня Вечір", "Кав'ярня Ранок", "Кавʼярня"}}, // ' sorts before ʼ
		{"?prefix=" + url.QueryEscape("ПЕК"), []string{"Пекарня"}},
		{"?prefix=zzz", nil},
		{"", []string{"кав'ярня Вечір", "Кав'ярня Ранок", "Кавʼярня", "Пекарня"}},
	}
	for _, tt := range tests {
		var got []string
		for _, m := range get(tt.q).Merchants {
			got = append(got, m.Name)
		}
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("GET %s = %q, want %q", tt.q, got, tt.want)
		}
	}
	var names []string
	q := "?limit=2"
	for pages := 0; ; pages++ {
		p := get(q)
		for _, m := range p.Merchants {
			names = append(names, m.Name)
		}
		if p.Cursor == "" || pages > 3 {
			break
		}
		q = "?limit=2&cursor=" + p.Cursor // as given: query-safe
	}
	if len(names) != 4 {
		t.Errorf("paged by 2: %q, want all 4", names)
	}
	if rec := e.do("GET", "/admin/merchants?cursor=%25%25", bearer, ""); rec.Code != 400 {
		t.Errorf("a cursor not given = %d, want 400", rec.Code)
	}
	if rec := e.do("GET", "/admin/merchants?limit=x", bearer, ""); rec.Code != 400 {
		t.Errorf("limit=x = %d, want 400", rec.Code)
	}
	if rec := e.do("GET", "/admin/merchants", "", ""); rec.Code != 401 {
		t.Errorf("no token = %d, want 401", rec.Code)
	}
}

func TestPatchMerchant(t *testing.T) {
	tests := []struct {
		name, body string
		code       int
		check      func(t *testing.T, m merchant.Merchant)
	}{
		{"rename", `{"name":"  Кавʼярня «Ранок» "}`, 200, func(t *testing.T, m merchant.Merchant) {
			if m.Name != "Кавʼярня «Ранок»" {
				t.Errorf("name %q", m.Name)
			}
		}},
		{"disable", `{"disabled":true}`, 200, func(t *testing.T, m merchant.Merchant) {
			if m.Active() {
				t.Error("still active")
			}
		}},
		{"empty name", `{"name":"  "}`, 400, nil},
		{"unknown field", `{"nmae":"x"}`, 400, nil},
		{"nothing", `{}`, 400, nil},
		{"not json", `name=x`, 400, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			rec := e.do("PATCH", "/admin/merchants/"+e.m.ID, bearer, tt.body)
			if rec.Code != tt.code {
				t.Fatalf("PATCH %s = %d %s, want %d", tt.body, rec.Code, rec.Body, tt.code)
			}
			if tt.check != nil {
				tt.check(t, e.stored())
			} else if m := e.stored(); m.Name != e.m.Name || !m.Active() {
				t.Errorf("a refused PATCH changed the merchant: %+v", m)
			}
		})
	}
	e := newEnv(t)
	e.do("PATCH", "/admin/merchants/"+e.m.ID, bearer, `{"disabled":true}`)
	if rec := e.do("GET", "/admin/merchants/"+e.m.ID, bearer, ""); !strings.Contains(rec.Body.String(), `"disabled":"`) {
		t.Errorf("view of a disabled merchant: %s", rec.Body)
	}
	if rec := e.do("PATCH", "/admin/merchants/"+e.m.ID, bearer, `{"disabled":false}`); rec.Code != 200 || !e.stored().Active() || strings.Contains(rec.Body.String(), "disabled") {
		t.Errorf("enable = %d %s", rec.Code, rec.Body)
	}
	if rec := e.do("PATCH", "/admin/merchants/nosuchmerchant", bearer, `{"name":"x"}`); rec.Code != 404 {
		t.Errorf("unknown merchant = %d, want 404", rec.Code)
	}
}

// TestCashiers: the operators are listed owners first, by an id that
// revokes them; a revoked cashier is gone from the list, and revoking
// again is 404 (nothing is left to revoke).
func TestCashiers(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	for _, c := range []struct {
		role merchant.Role
		user string
	}{{merchant.Cashier, "7"}, {merchant.Owner, "5"}} {
		code, _, err := e.ms.IssueCode(ctx, e.m.ID, c.role)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := e.ms.Redeem(ctx, code, "telegram", c.user, "user "+c.user); err != nil {
			t.Fatal(err)
		}
	}
	type list struct {
		Cashiers []struct{ ID, Role, Name, Messenger string } `json:"cashiers"`
	}
	get := func() list {
		t.Helper()
		rec := e.do("GET", "/admin/merchants/"+e.m.ID+"/cashiers", bearer, "")
		var l list
		if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &l) != nil {
			t.Fatalf("cashiers = %d %s", rec.Code, rec.Body)
		}
		if strings.Contains(rec.Body.String(), `"7"`) || strings.Contains(rec.Body.String(), "user_id") {
			t.Errorf("the messenger's user id is shown: %s", rec.Body)
		}
		return l
	}
	l := get()
	if len(l.Cashiers) != 2 || l.Cashiers[0].Role != "owner" || l.Cashiers[1].Role != "cashier" || l.Cashiers[1].Name != "user 7" {
		t.Fatalf("cashiers %+v, want the owner, then the cashier", l.Cashiers)
	}
	path := "/admin/merchants/" + e.m.ID + "/cashiers/" + l.Cashiers[1].ID
	if rec := e.do("DELETE", path, bearer, ""); rec.Code != http.StatusNoContent {
		t.Fatalf("revoke = %d %s", rec.Code, rec.Body)
	}
	if l := get(); len(l.Cashiers) != 1 || l.Cashiers[0].Role != "owner" {
		t.Errorf("after revoking: %+v", l.Cashiers)
	}
	if _, err := e.ms.Operator(ctx, "telegram", "7"); err == nil {
		t.Error("the revoked cashier is still an operator")
	}
	if rec := e.do("DELETE", path, bearer, ""); rec.Code != 404 {
		t.Errorf("revoke again = %d, want 404", rec.Code)
	}
	if rec := e.do("GET", "/admin/merchants/nosuch/cashiers", bearer, ""); rec.Code != 404 {
		t.Errorf("unknown merchant = %d, want 404", rec.Code)
	}
}
