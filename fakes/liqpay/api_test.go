package liqpay_test

import (
	"net/http"
	"testing"

	"github.com/paylastic/edge/fakes/liqpay"
)

func TestRequestErrors(t *testing.T) {
	e := newEnv(t)
	e.checkout(t, form(t, e.params("INV-1", nil), privKey))
	tests := []struct {
		name    string
		params  map[string]any
		key     string
		wantErr string
	}{
		{"unknown order", map[string]any{"action": "status", "order_id": "nope"}, privKey, liqpay.ErrCodeNotFound},
		{"unpaid order", map[string]any{"action": "status", "order_id": "INV-1"}, privKey, liqpay.ErrCodeNotFound},
		{"bad signature", map[string]any{"action": "status", "order_id": "INV-1"}, "other", liqpay.ErrCodeSignature},
		{"other action", map[string]any{"action": "invoice_send", "order_id": "INV-1"}, privKey, liqpay.ErrCodeAction},
		{"refund unpaid", map[string]any{"action": "refund", "order_id": "INV-1", "amount": 1}, privKey, liqpay.ErrCodeNotFound},
		{"refund bad amount", map[string]any{"action": "refund", "order_id": "INV-1", "amount": "x"}, privKey, liqpay.ErrCodeParam},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.params["version"], tt.params["public_key"] = 3, pubKey
			resp, err := http.PostForm(e.srv.URL+"/api/request", form(t, tt.params, tt.key))
			if err != nil {
				t.Fatal(err)
			}
			var out liqpay.ErrorResponse
			decodeBody(t, resp, &out)
			if resp.StatusCode != 200 || out.Result != "error" || out.Status != "error" || out.ErrCode != tt.wantErr {
				t.Errorf("got %d %+v, want error %s", resp.StatusCode, out, tt.wantErr)
			}
		})
	}
	resp, err := http.Get(e.srv.URL + "/api/request")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET /api/request: %d", resp.StatusCode)
	}
}

func TestRefund(t *testing.T) {
	e := newEnv(t)
	e.checkout(t, form(t, e.params("INV-R", nil), privKey))
	if err := e.fake.Pay("INV-R", true, ""); err != nil {
		t.Fatal(err)
	}
	e.checkout(t, form(t, e.params("INV-F", nil), privKey))
	if err := e.fake.Pay("INV-F", false, ""); err != nil {
		t.Fatal(err)
	}
	refund := func(orderID string, amount any) map[string]any {
		p := map[string]any{"version": 3, "public_key": pubKey, "action": "refund", "order_id": orderID}
		if amount != nil {
			p["amount"] = amount
		}
		out := e.request(t, p)
		e.fake.Wait()
		return out
	}
	steps := []struct {
		name       string
		order      string
		amount     any
		wantResult string
		wantErr    string
		wantStatus string // order status afterwards, by the status API
		wantCalls  string
	}{
		{"failed payment", "INV-F", 42, "error", liqpay.ErrCodeNotRefundable, "success", "pay:success,pay:failure"},
		{"too much", "INV-R", 50, "error", liqpay.ErrCodeRefundAmount, "success", "pay:success,pay:failure"},
		{"partial", "INV-R", "10.00", "ok", "", "success", "pay:success,pay:failure,refund:success"},
		{"rest", "INV-R", nil, "ok", "", "reversed", "pay:success,pay:failure,refund:success,refund:reversed"},
		{"again", "INV-R", 1, "error", liqpay.ErrCodeNotRefundable, "reversed", "pay:success,pay:failure,refund:success,refund:reversed"},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			out := refund(s.order, s.amount)
			if out["result"] != s.wantResult || (s.wantErr != "" && out["err_code"] != s.wantErr) {
				t.Fatalf("refund = %v, want %s %s", out, s.wantResult, s.wantErr)
			}
			if s.wantResult == "ok" && out["status"] != "reversed" {
				t.Errorf("refund status = %v, want reversed", out["status"])
			}
			if st := e.status(t, "INV-R"); st["status"] != s.wantStatus {
				t.Errorf("status = %v, want %s", st["status"], s.wantStatus)
			}
			if got := statuses(e.payments(t)); got != s.wantCalls {
				t.Errorf("callbacks = %q, want %q", got, s.wantCalls)
			}
		})
	}
	o, _ := e.fake.Order("INV-R")
	if o.Refunded != 4200 || o.Status != "reversed" {
		t.Errorf("Order() = %+v", o)
	}
	ps := e.payments(t)
	if last := ps[len(ps)-1]; last.RefundAmount != "42.0" || last.Amount != "42.0" || last.RefundDateLast == 0 {
		t.Errorf("refund callback = %+v", last)
	}
}

func TestDroppedCallbackThenStatus(t *testing.T) {
	e := newEnv(t)
	e.checkout(t, form(t, e.params("INV-D", nil), privKey))
	e.fake.SetDropCallbacks(true)
	if err := e.fake.Pay("INV-D", true, ""); err != nil {
		t.Fatal(err)
	}
	if n := len(e.payments(t)); n != 0 {
		t.Fatalf("received %d callbacks while dropping", n)
	}
	if c := e.fake.Callbacks(); len(c) != 1 || !c[0].Dropped || c[0].Delivered() {
		t.Errorf("Callbacks() = %+v", c)
	}
	if st := e.status(t, "INV-D"); st["status"] != "success" || st["result"] != "ok" {
		t.Errorf("status = %v", st)
	}
	if err := e.fake.Resend("INV-D"); err != nil {
		t.Fatal(err)
	}
	if got := statuses(e.payments(t)); got != "pay:success" {
		t.Errorf("after Resend: %q", got)
	}
	c := e.fake.Callbacks()
	if len(c) != 2 || !c[1].Resent || !c[1].Delivered() {
		t.Errorf("Callbacks() = %+v", c)
	}
	if p, err := c[1].Payment(); err != nil || p.OrderID != "INV-D" {
		t.Errorf("Callback.Payment() = %+v, %v", p, err)
	}
}

func TestSendStale(t *testing.T) {
	e := newEnv(t)
	e.checkout(t, form(t, e.params("INV-S", nil), privKey))
	if err := e.fake.Pay("INV-S", true, ""); err != nil {
		t.Fatal(err)
	}
	e.request(t, map[string]any{"version": 3, "public_key": pubKey, "action": "refund", "order_id": "INV-S", "amount": 42})
	e.fake.Wait()
	if err := e.fake.SendStale("INV-S", "success"); err != nil {
		t.Fatal(err)
	}
	if got := statuses(e.payments(t)); got != "pay:success,refund:reversed,pay:success" {
		t.Errorf("callbacks = %q", got)
	}
	if err := e.fake.SendStale("INV-S", "failure"); err == nil {
		t.Error("SendStale(failure) = nil, want ErrNoCallback")
	}
}
