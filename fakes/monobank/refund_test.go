package monobank_test

import (
	"net/http"
	"testing"
	"time"
)

// TestDelayedRefund: with a refund delay, invoice/cancel answers
// "processing", the invoice stays "success" until the fake's clock passed
// the delay, and the next invoice/status finds it "reversed", with its
// webhook sent once.
func TestDelayedRefund(t *testing.T) {
	e := newEnv(t)
	paid := e.createPaid(t, 4200)
	e.fake.SetRefundDelay(time.Minute)
	cancel := func(body map[string]any) (int, string, string) {
		code, resp := e.cancel(t, body)
		return code, resp.Status, resp.ErrCode
	}
	full := map[string]any{"invoiceId": paid.InvoiceID, "extRef": "refund-1"}
	steps := []struct {
		name         string
		advance      time.Duration
		cancel       map[string]any // nil: only ask the status
		wantCode     int
		wantAnswer   string // the cancel's status or errCode
		wantStatus   string
		wantItem     string // the status of the refund in cancelList
		wantWebhooks string
	}{
		{"asked", 0, full, 200, "processing", "success", "processing", "processing,success"},
		{"asked again while processing", 0, full, 400, "WRONG_CANCEL_AMOUNT", "success", "processing", "processing,success"},
		{"not due yet", 59 * time.Second, nil, 0, "", "success", "processing", "processing,success"},
		{"due", time.Second, nil, 0, "", "reversed", "success", "processing,success,reversed"},
		{"later", time.Minute, nil, 0, "", "reversed", "success", "processing,success,reversed"},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			e.clock.Advance(s.advance)
			if s.cancel != nil {
				code, status, errCode := cancel(s.cancel)
				if got := status + errCode; code != s.wantCode || got != s.wantAnswer {
					t.Fatalf("cancel = %d %s, want %d %s", code, got, s.wantCode, s.wantAnswer)
				}
			}
			st := e.status(t, paid.InvoiceID)
			e.fake.Wait()
			if st.Status != s.wantStatus || len(st.CancelList) != 1 || st.CancelList[0].Status != s.wantItem {
				t.Errorf("status %s, cancelList %+v; want %s with one %s refund", st.Status, st.CancelList, s.wantStatus, s.wantItem)
			}
			if got := statuses(e.verifyWebhooks(t)); got != s.wantWebhooks {
				t.Errorf("webhooks = %q, want %q", got, s.wantWebhooks)
			}
		})
	}
	if code, _, errCode := cancel(full); code != http.StatusBadRequest || errCode != "WRONG_CANCEL_AMOUNT" {
		t.Errorf("cancel after the reversal = %d %s, want 400 WRONG_CANCEL_AMOUNT", code, errCode)
	}
}

// TestSettleRefunds: SettleRefunds settles what is processing at once,
// whatever the clock; a dropped reversal webhook is logged as dropped.
func TestSettleRefunds(t *testing.T) {
	e := newEnv(t)
	paid := e.createPaid(t, 4200)
	e.fake.SetRefundDelay(time.Hour)
	e.fake.SetDropWebhooks(true)
	before := len(e.hook.Received())
	if code := e.call(t, "POST", "/api/merchant/invoice/cancel", token, map[string]any{"invoiceId": paid.InvoiceID}, nil); code != 200 {
		t.Fatalf("cancel = %d", code)
	}
	if inv, _ := e.fake.Invoice(paid.InvoiceID); inv.Status != "success" || inv.FinalAmount != 4200 {
		t.Fatalf("before settling: %s, final %d; want success, 4200", inv.Status, inv.FinalAmount)
	}
	e.fake.SettleRefunds()
	inv, _ := e.fake.Invoice(paid.InvoiceID)
	if inv.Status != "reversed" || inv.FinalAmount != 0 || inv.CancelList[0].Status != "success" {
		t.Errorf("after settling: %s, final %d, %+v", inv.Status, inv.FinalAmount, inv.CancelList)
	}
	whs := e.fake.Webhooks()
	if last := whs[len(whs)-1]; last.Status != "reversed" || !last.Dropped {
		t.Errorf("last webhook %+v, want the reversal, dropped", last)
	}
	if n := len(e.hook.Received()) - before; n != 0 {
		t.Errorf("received %d webhooks while dropping", n)
	}
}
