package e2e

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/paylastic/edge/core/kyiv"
	"github.com/paylastic/edge/wasm/hosttest"
)

// TestSharePage: on the compiled guest, the cashier's share page of a new
// check offers the SMS, e-mail, Telegram and Viber links carrying the
// message (shop, amount, link, warning), in the language asked; once the
// check is paid, it says so and offers nothing.
func TestSharePage(t *testing.T) {
	s := newShop(t, hosttest.Options{})
	link, _ := s.newCheck("12,50")
	b := s.buyer()
	token := link[strings.LastIndex(link, "/")+1:]
	for _, tt := range []struct{ lang, says string }{
		{"uk", "Кавʼярня «Ранок»: до оплати 12,50 грн."},
		{"en", "Кавʼярня «Ранок»: UAH 12.50 to pay."},
	} {
		p := b.Get(link + "/share?lang=" + tt.lang)
		wantSays(t, p, tt.says, link)
		for _, href := range []string{`href="sms:?&amp;body=`, `href="mailto:?subject=`, `href="https://t.me/share/url?url=`, `href="viber://forward?text=`} {
			if !strings.Contains(p.Body, href) {
				t.Errorf("%s share page has no %s link", tt.lang, href)
			}
		}
		if !strings.Contains(p.Body, token) {
			t.Errorf("%s share page does not carry the link's token", tt.lang)
		}
	}
	wantSays(t, b.Submit(b.Submit(b.Get(link), nil), sandboxCard(sbCardPaid)), "Оплату прийнято")
	p := b.Get(link + "/share?lang=uk")
	wantSays(t, p, "Чек уже оплачено")
	if strings.Contains(p.Body, "sms:") {
		t.Error("the share page of a paid check still offers to send it")
	}
}

// TestExportDay: on the compiled guest, a day of three checks (one paid,
// one cancelled, one open) exports as CSV with a header row and as NDJSON,
// with the sandbox's payment id on the paid one.
func TestExportDay(t *testing.T) {
	s := newShop(t, hosttest.Options{})
	link, _ := s.newCheck("12,50")
	b := s.buyer()
	wantSays(t, b.Submit(b.Submit(b.Get(link), nil), sandboxCard(sbCardPaid)), "Оплату прийнято")
	_, second := s.newCheck("30")
	s.press(second, inlineData(t, second, "cancel:"))
	s.newCheck("1 200")

	merchantID := shopMerchant(t, s)
	day := kyiv.In(s.env.Clock.Now()).Format("2006-01-02")
	path := "/admin/merchants/" + merchantID + "/checks?from=" + day + "&to=" + day
	body := adminGet(t, s.env, path+"&format=csv", "")
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatalf("CSV: %v\n%s", err, body)
	}
	if len(rows) != 4 || rows[0][0] != "id" {
		t.Fatalf("CSV: %d rows, want a header and 3:\n%s", len(rows), body)
	}
	if !strings.Contains(body, "\r\n") {
		t.Error("CSV lines do not end in CRLF (RFC 4180)")
	}
	got := map[string]string{} // amount → status
	for _, r := range rows[1:] {
		got[r[3]] = r[2]
		if r[3] == "12.50" && (r[10] != "sandbox" || r[11] == "" || r[6] == "") {
			t.Errorf("paid row %v: want the sandbox, its payment id and the paid time", r)
		}
		if r[8] != "Оля" {
			t.Errorf("row %v: cashier %q, want Оля", r, r[8])
		}
	}
	if got["12.50"] != "paid" || got["30.00"] != "cancelled" || got["1200.00"] != "open" {
		t.Errorf("statuses by amount: %v", got)
	}
	lines := strings.Split(strings.TrimSpace(adminGet(t, s.env, path, "application/json")), "\n")
	if len(lines) != 3 {
		t.Fatalf("NDJSON: %d lines, want 3", len(lines))
	}
	for _, l := range lines {
		var row map[string]any
		if err := json.Unmarshal([]byte(l), &row); err != nil || row["currency"] != "UAH" {
			t.Errorf("NDJSON line %q: %v", l, err)
		}
	}
}

// shopMerchant is the id of the shop's merchant, read from a check record.
func shopMerchant(t *testing.T, s *shop) string {
	t.Helper()
	p, err := s.env.KV.Store.List(t.Context(), "i:", "", 1)
	if err != nil || len(p.Keys) == 0 {
		t.Fatalf("no check in KV: %v", err)
	}
	raw, err := s.env.KV.Store.Get(t.Context(), p.Keys[0].Name)
	if err != nil {
		t.Fatal(err)
	}
	var chk struct{ Merchant string }
	if err := json.Unmarshal(raw, &chk); err != nil || chk.Merchant == "" {
		t.Fatalf("check record %s: %v", raw, err)
	}
	return chk.Merchant
}

func adminGet(t *testing.T, e *hosttest.Env, path, accept string) string {
	t.Helper()
	req, _ := http.NewRequest("GET", e.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+hosttest.AdminToken)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	if _, err := io.Copy(&b, resp.Body); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s = %d: %s", path, resp.StatusCode, b.String())
	}
	return b.String()
}
