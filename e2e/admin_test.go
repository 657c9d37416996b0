package e2e

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/paylastic/edge/wasm/hosttest"
)

// TestAdminRealMerchant walks the admin API of a real merchant's setup on
// the compiled guest, in plain HTTP: a lost id found by the list, a
// rename, a cashier activated in Telegram and listed by a handle that
// revokes it (once: a second revoke is 404), a merchant disabled and
// enabled, and every answer JSON.
func TestAdminRealMerchant(t *testing.T) {
	s := newShop(t, hosttest.Options{}) // «Кавʼярня «Ранок»», its owner Оля in Telegram
	for _, name := range []string{"Кава Ранок", "Книги «Полиця»"} {
		if st, body := adminCall(t, s.env.URL, "POST", "/admin/merchants", `{"name":"`+jsonEsc(name)+`"}`); st != 201 {
			t.Fatalf("create %s = %d %s", name, st, body)
		}
	}

	// The id of the coffee shop is lost: the list by a prefix of its name finds it.
	var page struct {
		Merchants []struct{ ID, Name, Disabled string } `json:"merchants"`
		Cursor    string                                `json:"cursor"`
	}
	st, body := adminCall(t, s.env.URL, "GET", "/admin/merchants?prefix="+url.QueryEscape("КАВ")+"&limit=1", "")
	decode(t, st, body, &page)
	if len(page.Merchants) != 1 || page.Merchants[0].Name != "Кавʼярня «Ранок»" || page.Cursor == "" {
		t.Fatalf("first page of КАВ = %s", body)
	}
	cafe := page.Merchants[0].ID
	st, body = adminCall(t, s.env.URL, "GET", "/admin/merchants?prefix="+url.QueryEscape("КАВ")+"&limit=1&cursor="+page.Cursor, "")
	decode(t, st, body, &page)
	if len(page.Merchants) != 1 || page.Merchants[0].Name != "Кава Ранок" {
		t.Fatalf("second page of КАВ = %s", body)
	}
	if st, body = adminCall(t, s.env.URL, "GET", "/admin/merchants?prefix="+url.QueryEscape("КАВ")+"&limit=1&cursor="+page.Cursor, ""); st != 200 || !strings.Contains(body, `"merchants":[]`) || !strings.Contains(body, `"cursor":""`) {
		t.Fatalf("third page of КАВ = %d %s; want empty, no cursor", st, body)
	}

	// Rename: the list finds it by the new name only.
	if st, body = adminCall(t, s.env.URL, "PATCH", "/admin/merchants/"+cafe, `{"name":"Ранок на Подолі"}`); st != 200 || !strings.Contains(body, `"name":"Ранок на Подолі"`) {
		t.Fatalf("rename = %d %s", st, body)
	}
	st, body = adminCall(t, s.env.URL, "GET", "/admin/merchants?prefix="+url.QueryEscape("ранок"), "")
	decode(t, st, body, &page)
	if len(page.Merchants) != 1 || page.Merchants[0].ID != cafe {
		t.Errorf("list of ранок after the rename = %s", body)
	}
	st, body = adminCall(t, s.env.URL, "GET", "/admin/merchants?prefix="+url.QueryEscape("кав"), "")
	decode(t, st, body, &page)
	if len(page.Merchants) != 1 || page.Merchants[0].Name != "Кава Ранок" {
		t.Errorf("list of кав after the rename = %s; want only Кава Ранок", body)
	}

	// A cashier's code, typed by another Telegram user.
	st, body = adminCall(t, s.env.URL, "POST", "/admin/merchants/"+cafe+"/activation-codes", `{"role":"cashier"}`)
	var code struct {
		Role string `json:"role"`
		Code string `json:"activation_code"`
	}
	decode(t, st, body, &code)
	if st != 201 || code.Role != "cashier" {
		t.Fatalf("cashier code = %d %s", st, body)
	}
	const cashierChat = 5151
	tgSays(s, cashierChat, "Петро", code.Code)

	var staff struct {
		Cashiers []struct{ ID, Role, Name, Messenger string } `json:"cashiers"`
	}
	st, body = adminCall(t, s.env.URL, "GET", "/admin/merchants/"+cafe+"/cashiers", "")
	decode(t, st, body, &staff)
	if len(staff.Cashiers) != 2 || staff.Cashiers[0].Role != "owner" || staff.Cashiers[0].Name != "Оля" ||
		staff.Cashiers[1].Role != "cashier" || staff.Cashiers[1].Name != "Петро" || staff.Cashiers[1].Messenger != "telegram" {
		t.Fatalf("cashiers = %s; want Оля (owner) then Петро (cashier), in Telegram", body)
	}
	if strings.Contains(body, "5151") || strings.Contains(body, "4242") {
		t.Errorf("the list shows Telegram user ids: %s", body)
	}

	// Revoke Петро: 204, then 404; the list keeps Оля.
	revoke := "/admin/merchants/" + cafe + "/cashiers/" + staff.Cashiers[1].ID
	if st, body = adminCall(t, s.env.URL, "DELETE", revoke, ""); st != 204 {
		t.Fatalf("revoke = %d %s", st, body)
	}
	if st, body = adminCall(t, s.env.URL, "DELETE", revoke, ""); st != 404 {
		t.Errorf("revoke again = %d %s, want 404", st, body)
	}
	st, body = adminCall(t, s.env.URL, "GET", "/admin/merchants/"+cafe+"/cashiers", "")
	decode(t, st, body, &staff)
	if len(staff.Cashiers) != 1 || staff.Cashiers[0].Name != "Оля" {
		t.Errorf("cashiers after the revoke = %s", body)
	}
	// Петро's next amount makes no check.
	before := len(s.tg.Messages(cashierChat))
	tgSays(s, cashierChat, "Петро", "12")
	for _, m := range s.tg.Messages(cashierChat)[before:] {
		if m.Photo != "" {
			t.Errorf("a revoked cashier got a check: %q", m.Plain)
		}
	}

	// Disable: the view says since when; no new codes; enable clears it.
	if st, body = adminCall(t, s.env.URL, "PATCH", "/admin/merchants/"+cafe, `{"disabled":true}`); st != 200 || !strings.Contains(body, `"disabled":"`) {
		t.Fatalf("disable = %d %s", st, body)
	}
	if st, body = adminCall(t, s.env.URL, "GET", "/admin/merchants/"+cafe, ""); st != 200 || !strings.Contains(body, `"disabled":"`) {
		t.Errorf("GET a disabled merchant = %d %s", st, body)
	}
	if st, body = adminCall(t, s.env.URL, "POST", "/admin/merchants/"+cafe+"/activation-codes", `{"role":"cashier"}`); st != 409 {
		t.Errorf("a code of a disabled merchant = %d %s, want 409", st, body)
	}
	if st, body = adminCall(t, s.env.URL, "PATCH", "/admin/merchants/"+cafe, `{"disabled":false}`); st != 200 || strings.Contains(body, `"disabled"`) {
		t.Errorf("enable = %d %s", st, body)
	}

	// Mistakes change nothing and say what is wrong.
	for _, c := range []struct {
		method, path, body string
		want               int
	}{
		{"PATCH", "/admin/merchants/" + cafe, `{"name":"x","owner":"me"}`, 400},
		{"PATCH", "/admin/merchants/" + cafe, `{"name":""}`, 400},
		{"PATCH", "/admin/merchants/aaaaaaaaaaaaa", `{"name":"x"}`, 404},
		{"GET", "/admin/merchants/aaaaaaaaaaaaa/cashiers", "", 404},
		{"GET", "/admin/merchants?limit=1000", "", 400},
	} {
		if st, body := adminCall(t, s.env.URL, c.method, c.path, c.body); st != c.want || !strings.Contains(body, `"error"`) {
			t.Errorf("%s %s %s = %d %s, want %d", c.method, c.path, c.body, st, body, c.want)
		}
	}
}

func decode(t *testing.T, status int, body string, v any) {
	t.Helper()
	if status/100 != 2 {
		t.Fatalf("status %d: %s", status, body)
	}
	if err := json.Unmarshal([]byte(body), v); err != nil {
		t.Fatalf("decode %s: %v", body, err)
	}
}

func jsonEsc(s string) string {
	b, _ := json.Marshal(s)
	return string(b[1 : len(b)-1])
}

// tgSays sends a text message from another Telegram user than the shop's
// operator.
func tgSays(s *shop, chat int64, name, text string) {
	s.t.Helper()
	s.update++
	s.msg++
	user := map[string]any{"id": chat, "is_bot": false, "first_name": name, "language_code": "uk"}
	s.webhook(map[string]any{
		"update_id": s.update,
		"message": map[string]any{
			"message_id": s.msg, "date": s.env.Clock.Now().Unix(), "text": text,
			"chat": map[string]any{"id": chat, "type": "private", "first_name": name},
			"from": user,
		},
	})
}
