package liqpay_test

import (
	"encoding/json"
	"errors"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/paylastic/edge/core/bank/liqpay/sign"
	"github.com/paylastic/edge/fakes/internal/fakebank/fakebanktest"
	"github.com/paylastic/edge/fakes/liqpay"
)

func TestHostedPage(t *testing.T) {
	tests := []struct {
		name      string
		over      map[string]any
		card      string
		wantCode  int
		wantCalls string
		wantErr   string
		wantMask  string
		want3DS   bool
	}{
		{"success", nil, "4242 4242 4242 4242", 303, "pay:success", "", "424242*42", false},
		{"sandbox", map[string]any{"sandbox": 1}, liqpay.CardSuccess, 303, "pay:sandbox", "", "424242*42", false},
		{"3ds", nil, liqpay.CardSuccess3DS, 303, "pay:success", "", "400000*63", true},
		{"limit", nil, liqpay.CardDeclineLimit, 303, "pay:failure", "limit", "400000*02", false},
		{"9859", map[string]any{"sandbox": "1"}, liqpay.CardDecline9859, 303, "pay:failure", "9859", "400000*95", false},
		{"mastercard", nil, "5555555555554444", 303, "pay:success", "", "555555*44", false},
		{"not luhn", nil, "4242424242424241", 400, "", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			code, page, action := e.checkout(t, form(t, e.params("INV-1-a1", tt.over), privKey))
			if code != 200 || action == "" || !strings.Contains(page, "42.00 UAH") {
				t.Fatalf("checkout: %d %q\n%s", code, action, page)
			}
			resp, err := fakebanktest.NoRedirect.PostForm(e.srv.URL+action, url.Values{"cardNumber": {tt.card}, "exp": {"12/30"}, "cvv": {"123"}})
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.wantCode {
				t.Fatalf("card form: %d, want %d", resp.StatusCode, tt.wantCode)
			}
			if tt.wantCode == 303 && resp.Header.Get("Location") != "https://shop.example/pay/result?ref=INV-1" {
				t.Errorf("Location = %q", resp.Header.Get("Location"))
			}
			ps := e.payments(t)
			if got := statuses(ps); got != tt.wantCalls {
				t.Fatalf("callbacks = %q, want %q", got, tt.wantCalls)
			}
			if len(ps) == 0 {
				if st := e.status(t, "INV-1-a1"); st["err_code"] != liqpay.ErrCodeNotFound {
					t.Errorf("status of an unpaid order = %v", st)
				}
				return
			}
			p := ps[0]
			wantCommission := "0.63" // 1.5 % of 42.00
			if tt.wantErr != "" {
				wantCommission = "0.0"
			}
			if p.OrderID != "INV-1-a1" || p.Amount != "42.0" || p.Currency != "UAH" || p.PublicKey != pubKey ||
				p.Version != 3 || p.ErrCode != tt.wantErr || p.SenderCardMask2 != tt.wantMask || p.Is3DS != tt.want3DS ||
				p.PaymentID == 0 || p.LiqpayOrderID == "" || p.ReceiverCommission != json.Number(wantCommission) {
				t.Errorf("callback = %+v", p)
			}
			if tt.wantErr != "" && p.ErrDescription == "" {
				t.Error("failure without err_description")
			}
			st := e.status(t, "INV-1-a1")
			if st["result"] != "ok" || st["status"] != p.Status || st["order_id"] != "INV-1-a1" {
				t.Errorf("status = %v", st)
			}
			if c := e.fake.Callbacks(); len(c) != 1 || strings.Contains(c[0].Data, tt.card) {
				t.Errorf("Callbacks() = %+v", c)
			}
			// The page is no longer payable.
			resp, err = http.Get(e.srv.URL + action)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusConflict {
				t.Errorf("GET page after payment: %d, want 409", resp.StatusCode)
			}
		})
	}
}

func TestPayControl(t *testing.T) {
	tests := []struct {
		name, reason         string
		success              bool
		wantStatus, wantCode string
		wantDesc             string
	}{
		{"success", "", true, "success", "", ""},
		{"default failure", "", false, "failure", "limit", "Перевищено ліміт картки"},
		{"code", "9859", false, "failure", "9859", "Відмова банку-емітента"},
		{"free text", "Картку заблоковано", false, "failure", "err_payment", "Картку заблоковано"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			e.checkout(t, form(t, e.params("INV-2", nil), privKey))
			if err := e.fake.Pay("INV-2", tt.success, tt.reason); err != nil {
				t.Fatal(err)
			}
			ps := e.payments(t)
			if len(ps) != 1 || ps[0].Status != tt.wantStatus || ps[0].ErrCode != tt.wantCode || ps[0].ErrDescription != tt.wantDesc {
				t.Errorf("callbacks = %+v", ps)
			}
			if err := e.fake.Pay("INV-2", true, ""); !errors.Is(err, liqpay.ErrNotPayable) {
				t.Errorf("second Pay = %v, want ErrNotPayable", err)
			}
		})
	}
	e := newEnv(t)
	if err := e.fake.Pay("nope", true, ""); !errors.Is(err, liqpay.ErrUnknownOrder) {
		t.Errorf("Pay(unknown) = %v, want ErrUnknownOrder", err)
	}
}

func TestExpiredDate(t *testing.T) {
	e := newEnv(t)
	e.checkout(t, form(t, e.params("INV-3", map[string]any{"expired_date": "2024-05-01 11:00:00"}), privKey))
	e.clock.Advance(time.Hour)
	if err := e.fake.Pay("INV-3", true, ""); !errors.Is(err, liqpay.ErrNotPayable) {
		t.Errorf("Pay after expired_date = %v, want ErrNotPayable", err)
	}
}

func TestResultPOST(t *testing.T) {
	e := newEnv(t)
	e.fake.SetResultMethod("POST")
	_, _, action := e.checkout(t, form(t, e.params("INV-4", nil), privKey))
	resp, err := fakebanktest.NoRedirect.PostForm(e.srv.URL+action, url.Values{"cardNumber": {liqpay.CardSuccess}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	page := string(b)
	if resp.StatusCode != 200 || !strings.Contains(page, `action="https://shop.example/pay/result?ref=INV-1"`) {
		t.Fatalf("result POST form: %d\n%s", resp.StatusCode, page)
	}
	field := func(name string) string {
		m := regexp.MustCompile(`name="` + name + `" value="([^"]+)"`).FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("no %s field", name)
		}
		return html.UnescapeString(m[1]) // "+" in base64 comes escaped as &#43;
	}
	data, sig := field("data"), field("signature")
	if err := sign.Verify(privKey, data, sig); err != nil {
		t.Fatalf("result form signature: %v", err)
	}
	var p liqpay.Payment
	if err := sign.Decode(data, &p); err != nil || p.Status != "success" {
		t.Errorf("result form data = %+v, %v", p, err)
	}
}
