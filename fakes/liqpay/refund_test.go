package liqpay_test

import (
	"testing"
	"time"
)

// TestDelayedRefund: with a refund delay, action=refund answers
// "processing", the order stays "success" until the fake's clock passed the
// delay, and the next action=status finds it "reversed", with the refund's
// callback sent once.
func TestDelayedRefund(t *testing.T) {
	e := newEnv(t)
	e.checkout(t, form(t, e.params("INV-L", nil), privKey))
	if err := e.fake.Pay("INV-L", true, ""); err != nil {
		t.Fatal(err)
	}
	e.fake.SetRefundDelay(time.Minute)
	refund := map[string]any{"version": 3, "public_key": pubKey, "action": "refund", "order_id": "INV-L", "amount": 42}
	steps := []struct {
		name       string
		advance    time.Duration
		refund     bool
		wantAnswer string // the refund's status, or its err_code
		wantStatus string
		wantCalls  string
	}{
		{"asked", 0, true, "processing", "success", "pay:success"},
		{"asked again while processing", 0, true, "wrong_amount", "success", "pay:success"},
		{"not due yet", 59 * time.Second, false, "", "success", "pay:success"},
		{"due", time.Second, false, "", "reversed", "pay:success,refund:reversed"},
		{"later", time.Minute, false, "", "reversed", "pay:success,refund:reversed"},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			e.clock.Advance(s.advance)
			if s.refund {
				out := e.request(t, refund)
				got, _ := out["status"].(string)
				if out["result"] == "error" {
					got, _ = out["err_code"].(string)
				}
				if got != s.wantAnswer {
					t.Fatalf("refund = %v, want %s", out, s.wantAnswer)
				}
			}
			st := e.status(t, "INV-L")
			e.fake.Wait()
			if st["status"] != s.wantStatus {
				t.Errorf("status = %v, want %s", st["status"], s.wantStatus)
			}
			if got := statuses(e.payments(t)); got != s.wantCalls {
				t.Errorf("callbacks = %q, want %q", got, s.wantCalls)
			}
		})
	}
}

// TestSettleRefunds: SettleRefunds settles what is processing at once; a
// dropped callback is logged as dropped.
func TestSettleRefunds(t *testing.T) {
	e := newEnv(t)
	e.checkout(t, form(t, e.params("INV-M", nil), privKey))
	if err := e.fake.Pay("INV-M", true, ""); err != nil {
		t.Fatal(err)
	}
	e.fake.SetRefundDelay(time.Hour)
	e.fake.SetDropCallbacks(true)
	e.request(t, map[string]any{"version": 3, "public_key": pubKey, "action": "refund", "order_id": "INV-M"})
	if o, _ := e.fake.Order("INV-M"); o.Status != "success" || o.Refunded != 0 {
		t.Fatalf("before settling: %s, refunded %d", o.Status, o.Refunded)
	}
	e.fake.SettleRefunds()
	if o, _ := e.fake.Order("INV-M"); o.Status != "reversed" || o.Refunded != o.Amount {
		t.Errorf("after settling: %s, refunded %d of %d", o.Status, o.Refunded, o.Amount)
	}
	cs := e.fake.Callbacks()
	if last := cs[len(cs)-1]; last.Action != "refund" || last.Status != "reversed" || !last.Dropped {
		t.Errorf("last callback %+v, want the refund, dropped", last)
	}
}
