package liqpay_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/paylastic/edge/core/bank/liqpay/sign"
	"github.com/paylastic/edge/fakes/liqpay"
)

// TestSetKeys: once the shop's keys are regenerated, the old private key is
// answered invalid_signature and the old public key public_key_not_found,
// on the checkout page and in /api/request alike; callbacks are signed with
// the new key.
func TestSetKeys(t *testing.T) {
	e := newEnv(t)
	e.checkout(t, form(t, e.params("INV-K", nil), privKey))
	e.fake.SetKeys(pubKey, "new-private-key")
	tests := []struct {
		name, public, private, wantErr string
	}{
		{"old private key", pubKey, privKey, liqpay.ErrCodeSignature},
		{"old public key", "i999999999", "new-private-key", liqpay.ErrCodePublicKey},
		{"new keys", pubKey, "new-private-key", liqpay.ErrCodeNotFound}, // taken: the order is unpaid
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			params := map[string]any{"version": 3, "public_key": tt.public, "action": "status", "order_id": "INV-K"}
			resp, err := http.PostForm(e.srv.URL+"/api/request", form(t, params, tt.private))
			if err != nil {
				t.Fatal(err)
			}
			var out liqpay.ErrorResponse
			decodeBody(t, resp, &out)
			if resp.StatusCode != http.StatusOK || out.Status != "error" || out.ErrCode != tt.wantErr {
				t.Errorf("status: got %d %+v, want error %s", resp.StatusCode, out, tt.wantErr)
			}
		})
	}
	if status, page, _ := e.checkout(t, form(t, e.params("INV-K2", nil), privKey)); status != http.StatusBadRequest || !strings.Contains(page, liqpay.ErrCodeSignature) {
		t.Errorf("checkout signed with the old key = %d, want 400 naming %s:\n%s", status, liqpay.ErrCodeSignature, page)
	}
	if status, _, _ := e.checkout(t, form(t, e.params("INV-K3", nil), "new-private-key")); status != http.StatusOK {
		t.Fatalf("checkout signed with the new key = %d", status)
	}
	if err := e.fake.Pay("INV-K3", true, ""); err != nil {
		t.Fatal(err)
	}
	cbs := e.fake.Callbacks()
	if len(cbs) != 1 || sign.Verify("new-private-key", cbs[0].Data, cbs[0].Signature) != nil {
		t.Errorf("callbacks %+v: want one signed with the new key", cbs)
	}
}

// TestShopNotVerified: until LiqPay verifies the shop, a paid order is
// wait_accept, in the callback and in action=status; a sandbox one is still
// sandbox.
func TestShopNotVerified(t *testing.T) {
	e := newEnv(t)
	e.fake.SetShopVerified(false)
	e.checkout(t, form(t, e.params("INV-W", nil), privKey))
	e.checkout(t, form(t, e.params("INV-S", map[string]any{"sandbox": "1"}), privKey))
	for _, id := range []string{"INV-W", "INV-S"} {
		if err := e.fake.Pay(id, true, ""); err != nil {
			t.Fatal(err)
		}
	}
	if got := statuses(e.payments(t)); got != "pay:wait_accept,pay:sandbox" {
		t.Errorf("callbacks = %s, want pay:wait_accept,pay:sandbox", got)
	}
	st := e.status(t, "INV-W")
	if st["status"] != "wait_accept" || st["sender_card_mask2"] != "424242*42" || st["sender_card_type"] != "visa" {
		t.Errorf("status = %v, want wait_accept with the card", st)
	}
	e.fake.SetShopVerified(true)
	e.checkout(t, form(t, e.params("INV-V", nil), privKey))
	if err := e.fake.Pay("INV-V", true, ""); err != nil {
		t.Fatal(err)
	}
	if st := e.status(t, "INV-V"); st["status"] != "success" {
		t.Errorf("status once verified = %v, want success", st["status"])
	}
}
