package monobank_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/paylastic/edge/fakes/monobank"
)

func TestAuthAndMethods(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name, method, path, tok string
		wantCode                int
		wantErr                 string
	}{
		{"pubkey ok", "GET", "/api/merchant/pubkey", token, 200, ""},
		{"pubkey bad token", "GET", "/api/merchant/pubkey", "nope", 403, "FORBIDDEN"},
		{"pubkey no token", "GET", "/api/merchant/pubkey", "", 400, "BAD_REQUEST"},
		{"create bad token", "POST", "/api/merchant/invoice/create", "nope", 403, "FORBIDDEN"},
		{"status bad token", "GET", "/api/merchant/invoice/status?invoiceId=x", "nope", 403, "FORBIDDEN"},
		{"cancel bad token", "POST", "/api/merchant/invoice/cancel", "nope", 403, "FORBIDDEN"},
		{"remove bad token", "POST", "/api/merchant/invoice/remove", "nope", 403, "FORBIDDEN"},
		{"create with GET", "GET", "/api/merchant/invoice/create", token, 405, "METHOD_NOT_ALLOWED"},
		{"unknown api path", "GET", "/api/merchant/nope", token, 404, "NOT_FOUND"},
		{"status empty id", "GET", "/api/merchant/invoice/status", token, 400, "BAD_REQUEST"},
		{"status unknown id", "GET", "/api/merchant/invoice/status?invoiceId=p2_nope", token, 404, "NOT_FOUND"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var er monobank.ErrorResponse
			code := e.call(t, tt.method, tt.path, tt.tok, nil, &er)
			if code != tt.wantCode || er.ErrCode != tt.wantErr {
				t.Errorf("got %d %q, want %d %q", code, er.ErrCode, tt.wantCode, tt.wantErr)
			}
		})
	}
	if got := e.fake.PubkeyRequests(); got != 1 {
		t.Errorf("PubkeyRequests() = %d, want 1", got)
	}
}

func TestCreateValidation(t *testing.T) {
	e := newEnv(t)
	info := map[string]any{"reference": "INV-1", "destination": "Оплата"}
	tests := []struct {
		name     string
		body     any
		wantCode int
		wantErr  string
	}{
		{"minimal", map[string]any{"amount": 100}, 200, ""},
		{"full", map[string]any{"amount": 4200, "ccy": 980, "merchantPaymInfo": info,
			"redirectUrl": "https://shop.example/r", "webHookUrl": "https://shop.example/w",
			"validity": 3600, "paymentType": "debit"}, 200, ""},
		{"basket matches", map[string]any{"amount": 4200, "merchantPaymInfo": map[string]any{
			"reference": "r", "destination": "d",
			"basketOrder": []any{map[string]any{"name": "Табуретка", "qty": 2, "sum": 2100, "code": "t1"}}}}, 200, ""},
		{"not json", "amount=1", 400, "BAD_REQUEST"},
		{"trailing json", `{"amount":1}{}`, 400, "BAD_REQUEST"},
		{"zero amount", map[string]any{"amount": 0}, 400, "BAD_REQUEST"},
		{"negative amount", map[string]any{"amount": -1}, 400, "BAD_REQUEST"},
		{"decimal amount", `{"amount":42.00}`, 400, "BAD_REQUEST"},
		{"usd", map[string]any{"amount": 100, "ccy": 840}, 400, "BAD_REQUEST"},
		{"misspelt webhookUrl", map[string]any{"amount": 100, "webhookUrl": "https://x"}, 400, "BAD_REQUEST"},
		{"misspelt reference", map[string]any{"amount": 100, "merchantPaymInfo": map[string]any{"Reference": "r", "destination": "d"}}, 400, "BAD_REQUEST"},
		{"relative redirectUrl", map[string]any{"amount": 100, "redirectUrl": "/pay/result"}, 400, "BAD_REQUEST"},
		{"ftp webHookUrl", map[string]any{"amount": 100, "webHookUrl": "ftp://x/y"}, 400, "BAD_REQUEST"},
		{"negative validity", map[string]any{"amount": 100, "validity": -1}, 400, "BAD_REQUEST"},
		{"hold", map[string]any{"amount": 100, "paymentType": "hold"}, 400, "BAD_REQUEST"},
		{"no reference", map[string]any{"amount": 100, "merchantPaymInfo": map[string]any{"destination": "d"}}, 400, "INVALID_MERCHANT_PAYM_INFO"},
		{"no destination", map[string]any{"amount": 100, "merchantPaymInfo": map[string]any{"reference": "r"}}, 400, "INVALID_MERCHANT_PAYM_INFO"},
		{"basket mismatch", map[string]any{"amount": 100, "merchantPaymInfo": map[string]any{
			"reference": "r", "destination": "d",
			"basketOrder": []any{map[string]any{"name": "x", "qty": 1, "sum": 99, "code": "c"}}}}, 400, "INVALID_MERCHANT_PAYM_INFO"},
		{"basket item without code", map[string]any{"amount": 100, "merchantPaymInfo": map[string]any{
			"reference": "r", "destination": "d",
			"basketOrder": []any{map[string]any{"name": "x", "qty": 1, "sum": 100}}}}, 400, "INVALID_MERCHANT_PAYM_INFO"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var resp struct {
				monobank.CreateResponse
				monobank.ErrorResponse
			}
			code := e.call(t, "POST", "/api/merchant/invoice/create", token, tt.body, &resp)
			if code != tt.wantCode || resp.ErrCode != tt.wantErr {
				t.Fatalf("got %d %+v, want %d %q", code, resp, tt.wantCode, tt.wantErr)
			}
			if code == 200 && !strings.HasPrefix(resp.PageURL, e.srv.URL+"/pay/"+resp.InvoiceID) {
				t.Errorf("pageUrl = %q, want %s/pay/%s", resp.PageURL, e.srv.URL, resp.InvoiceID)
			}
		})
	}
}

func TestStatusAfterCreate(t *testing.T) {
	e := newEnv(t)
	cr := e.create(t, 4200)
	st := e.status(t, cr.InvoiceID)
	want := monobank.StatusResponse{
		InvoiceID: cr.InvoiceID, Status: "created", Amount: 4200, Ccy: 980,
		CreatedDate: "2024-05-01T10:00:00Z", ModifiedDate: "2024-05-01T10:00:00Z",
		Reference: "INV-1", Destination: "Оплата рахунку INV-1",
	}
	if st.InvoiceID != want.InvoiceID || st.Status != want.Status || st.Amount != want.Amount ||
		st.Ccy != want.Ccy || st.CreatedDate != want.CreatedDate || st.ModifiedDate != want.ModifiedDate ||
		st.Reference != want.Reference || st.Destination != want.Destination || st.PaymentInfo != nil {
		t.Errorf("status = %+v, want %+v", st, want)
	}
	invs := e.fake.Invoices()
	if len(invs) != 1 || invs[0].WebHookURL != e.hook.URL+"/bank/monobank/callback" || invs[0].Validity.Seconds() != 3600 {
		t.Errorf("Invoices() = %+v", invs)
	}
}

func TestBaseURL(t *testing.T) {
	f := monobank.New(token)
	f.BaseURL = "https://mono.fake/"
	req, _ := http.NewRequest("POST", "/api/merchant/invoice/create", strings.NewReader(`{"amount":1}`))
	req.Header.Set("X-Token", token)
	rec := newRecorder()
	f.ServeHTTP(rec, req)
	if !strings.Contains(rec.Body.String(), `"pageUrl":"https://mono.fake/pay/p2_`) {
		t.Errorf("body = %s", rec.Body)
	}
}
