package liqpay_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/paylastic/edge/fakes/liqpay"
)

func TestCheckoutValidation(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name     string
		over     map[string]any
		key      string // signing key; "" means the right one
		wantCode int
		wantErr  string
	}{
		{"valid", nil, "", 200, ""},
		{"amount as string", map[string]any{"amount": "7.34"}, "", 200, ""},
		{"amount as integer", map[string]any{"amount": 5}, "", 200, ""},
		{"sandbox", map[string]any{"sandbox": "1"}, "", 200, ""},
		{"no urls", map[string]any{"result_url": nil, "server_url": nil}, "", 200, ""},
		{"expired_date ahead", map[string]any{"expired_date": "2024-05-02 00:00:00"}, "", 200, ""},
		{"wrong private key", nil, "other", 400, liqpay.ErrCodeSignature},
		{"wrong public key", map[string]any{"public_key": "i999"}, "", 400, liqpay.ErrCodePublicKey},
		{"version 7", map[string]any{"version": 7}, "", 400, liqpay.ErrCodeVersion},
		{"no version", map[string]any{"version": nil}, "", 400, liqpay.ErrCodeVersion},
		{"hold", map[string]any{"action": "hold"}, "", 400, liqpay.ErrCodeAction},
		{"three decimals", map[string]any{"amount": json.Number("42.001")}, "", 400, liqpay.ErrCodeParam},
		{"zero amount", map[string]any{"amount": 0}, "", 400, liqpay.ErrCodeParam},
		{"negative amount", map[string]any{"amount": -1}, "", 400, liqpay.ErrCodeParam},
		{"exponent amount", map[string]any{"amount": json.Number("4e1")}, "", 400, liqpay.ErrCodeParam},
		{"no amount", map[string]any{"amount": nil}, "", 400, liqpay.ErrCodeParam},
		{"GBP", map[string]any{"currency": "GBP"}, "", 400, liqpay.ErrCodeParam},
		{"no description", map[string]any{"description": nil}, "", 400, liqpay.ErrCodeParam},
		{"no order_id", map[string]any{"order_id": nil}, "", 400, liqpay.ErrCodeParam},
		{"numeric order_id", map[string]any{"order_id": 12}, "", 400, liqpay.ErrCodeParam},
		{"long order_id", map[string]any{"order_id": strings.Repeat("x", 256)}, "", 400, liqpay.ErrCodeParam},
		{"relative server_url", map[string]any{"server_url": "/cb"}, "", 400, liqpay.ErrCodeParam},
		{"long result_url", map[string]any{"result_url": "https://x.example/" + strings.Repeat("a", 500)}, "", 400, liqpay.ErrCodeParam},
		{"language ru", map[string]any{"language": "ru"}, "", 400, liqpay.ErrCodeParam},
		{"sandbox yes", map[string]any{"sandbox": "yes"}, "", 400, liqpay.ErrCodeParam},
		{"expired_date format", map[string]any{"expired_date": "2024-05-02T00:00:00Z"}, "", 400, liqpay.ErrCodeParam},
		{"expired_date passed", map[string]any{"expired_date": "2024-05-01 09:00:00"}, "", 400, liqpay.ErrCodeExpired},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key := privKey
			if tt.key != "" {
				key = tt.key
			}
			over := map[string]any{"order_id": "INV-" + string(rune('A'+i))}
			for k, v := range tt.over {
				over[k] = v
			}
			code, page, action := e.checkout(t, form(t, e.params("", over), key))
			if code != tt.wantCode {
				t.Fatalf("got %d, want %d\n%s", code, tt.wantCode, page)
			}
			if tt.wantErr != "" && !strings.Contains(page, tt.wantErr) {
				t.Errorf("page does not name %s:\n%s", tt.wantErr, page)
			}
			if code == 200 && !strings.HasPrefix(action, "/pay/") {
				t.Errorf("card form action = %q", action)
			}
		})
	}
	code, page, _ := e.checkout(t, nil)
	if code != 400 || !strings.Contains(page, liqpay.ErrCodeData) {
		t.Errorf("empty form: %d\n%s", code, page)
	}
}

func TestCheckoutReloadAndDuplicate(t *testing.T) {
	e := newEnv(t)
	v := form(t, e.params("INV-1-a1", nil), privKey)
	_, _, first := e.checkout(t, v)
	code, _, again := e.checkout(t, v)
	if code != 200 || again != first {
		t.Errorf("same checkout again: %d %q, want 200 %q", code, again, first)
	}
	code, page, _ := e.checkout(t, form(t, e.params("INV-1-a1", map[string]any{"amount": 1}), privKey))
	if code != 400 || !strings.Contains(page, liqpay.ErrCodeDuplicate) {
		t.Errorf("same order_id, other data: %d", code)
	}
	if err := e.fake.Pay("INV-1-a1", true, ""); err != nil {
		t.Fatal(err)
	}
	code, page, _ = e.checkout(t, v)
	if code != 400 || !strings.Contains(page, liqpay.ErrCodeDuplicate) {
		t.Errorf("checkout of a paid order: %d", code)
	}
	if n := len(e.fake.Orders()); n != 1 {
		t.Errorf("%d orders, want 1", n)
	}
}

func TestCheckoutGETAndMethods(t *testing.T) {
	e := newEnv(t)
	v := form(t, e.params("INV-GET", nil), privKey)
	resp, err := http.Get(e.srv.URL + "/api/3/checkout?" + v.Encode())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("GET checkout link: %d", resp.StatusCode)
	}
	req, _ := http.NewRequest("PUT", e.srv.URL+"/api/3/checkout", nil)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("PUT checkout: %d", resp.StatusCode)
	}
	o, ok := e.fake.Order("INV-GET")
	if !ok || o.Amount != 4200 || o.Currency != "UAH" || o.ServerURL != e.hook.URL+"/bank/liqpay/callback" || o.Params["language"] != "uk" {
		t.Errorf("Order() = %+v, %v", o, ok)
	}
}
