package monobank_test

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/paylastic/edge/core/bank/monobank/sign"
	"github.com/paylastic/edge/fakes/monobank"
)

func TestDroppedWebhooksThenStatusAndResend(t *testing.T) {
	e := newEnv(t)
	cr := e.create(t, 4200)
	e.fake.SetDropWebhooks(true)
	if err := e.fake.Pay(cr.InvoiceID, true, ""); err != nil {
		t.Fatal(err)
	}
	if n := len(e.hook.Received()); n != 0 {
		t.Fatalf("received %d webhooks while dropping", n)
	}
	log := e.fake.Webhooks()
	if len(log) != 2 || !log[0].Dropped || !log[1].Dropped || log[1].Status != "success" || log[1].Attempts != 0 {
		t.Errorf("Webhooks() = %+v, want 2 dropped", log)
	}
	if st := e.status(t, cr.InvoiceID); st.Status != "success" {
		t.Errorf("status = %s, want success", st.Status)
	}

	// Resend works even while dropping: a late delivery.
	if err := e.fake.Resend(cr.InvoiceID); err != nil {
		t.Fatal(err)
	}
	hooks := e.verifyWebhooks(t)
	if got := statuses(hooks); got != "success" {
		t.Errorf("after Resend: webhooks = %q, want success", got)
	}
	if got := e.fake.Webhooks(); len(got) != 3 || !got[2].Resent || !got[2].Delivered() || got[2].Attempts != 1 {
		t.Errorf("Webhooks()[2] = %+v", got[len(got)-1])
	}
	if err := e.fake.Resend("p2_nope"); !errors.Is(err, monobank.ErrUnknownInvoice) {
		t.Errorf("Resend(unknown) = %v", err)
	}
	other := e.create(t, 100)
	if err := e.fake.Resend(other.InvoiceID); !errors.Is(err, monobank.ErrNoWebhook) {
		t.Errorf("Resend(never notified) = %v, want ErrNoWebhook", err)
	}
}

func TestSendStale(t *testing.T) {
	e := newEnv(t)
	cr := e.createPaid(t, 4200)
	if err := e.fake.SendStale(cr.InvoiceID, "processing"); err != nil {
		t.Fatal(err)
	}
	hooks := e.verifyWebhooks(t)
	if got := statuses(hooks); got != "processing,success,processing" {
		t.Fatalf("webhooks = %q", got)
	}
	if hooks[2].ModifiedDate != hooks[0].ModifiedDate || hooks[2].ModifiedDate >= hooks[1].ModifiedDate {
		t.Errorf("stale webhook modifiedDate %q, want %q (< %q)", hooks[2].ModifiedDate, hooks[0].ModifiedDate, hooks[1].ModifiedDate)
	}
	if err := e.fake.SendStale(cr.InvoiceID, "reversed"); !errors.Is(err, monobank.ErrNoWebhook) {
		t.Errorf("SendStale(reversed) = %v, want ErrNoWebhook", err)
	}
}

func TestRefund(t *testing.T) {
	e := newEnv(t)
	paid := e.createPaid(t, 4200)
	unpaid := e.create(t, 100)
	steps := []struct {
		name         string
		body         any
		wantCode     int
		wantErr      string
		wantStatus   string
		wantFinal    int64
		wantWebhooks string
	}{
		{"no invoiceId", map[string]any{}, 400, "BAD_REQUEST", "success", 4200, "processing,success"},
		{"unknown", map[string]any{"invoiceId": "p2_nope"}, 404, "NOT_FOUND", "success", 4200, "processing,success"},
		{"unpaid", map[string]any{"invoiceId": unpaid.InvoiceID}, 500, "CANCEL_NOT_AVAILABLE", "success", 4200, "processing,success"},
		{"too much", map[string]any{"invoiceId": paid.InvoiceID, "amount": 5000}, 400, "WRONG_CANCEL_AMOUNT", "success", 4200, "processing,success"},
		{"partial", map[string]any{"invoiceId": paid.InvoiceID, "extRef": "r-1", "amount": 1000}, 200, "", "success", 3200, "processing,success"},
		{"rest", map[string]any{"invoiceId": paid.InvoiceID, "extRef": "r-2"}, 200, "", "reversed", 0, "processing,success,reversed"},
		{"again", map[string]any{"invoiceId": paid.InvoiceID}, 400, "WRONG_CANCEL_AMOUNT", "reversed", 0, "processing,success,reversed"},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			code, resp := e.cancel(t, s.body)
			e.fake.Wait()
			if code != s.wantCode || resp.ErrCode != s.wantErr {
				t.Fatalf("cancel: %d %+v, want %d %q", code, resp, s.wantCode, s.wantErr)
			}
			if code == 200 && resp.Status != "success" {
				t.Errorf("cancel status = %q", resp.Status)
			}
			st := e.status(t, paid.InvoiceID)
			if st.Status != s.wantStatus || st.FinalAmount != s.wantFinal {
				t.Errorf("status %s/%d, want %s/%d", st.Status, st.FinalAmount, s.wantStatus, s.wantFinal)
			}
			if got := statuses(e.verifyWebhooks(t)); got != s.wantWebhooks {
				t.Errorf("webhooks = %q, want %q", got, s.wantWebhooks)
			}
		})
	}
	st := e.status(t, paid.InvoiceID)
	if len(st.CancelList) != 2 || st.CancelList[0].ExtRef != "r-1" || st.CancelList[1].Amount != 3200 {
		t.Errorf("cancelList = %+v", st.CancelList)
	}
}

func TestRemoveAndExpiry(t *testing.T) {
	e := newEnv(t)
	removed := e.create(t, 100)
	expiring := e.create(t, 100)
	paid := e.createPaid(t, 100)
	tests := []struct {
		name     string
		id       string
		wantCode int
		wantErr  string
	}{
		{"created", removed.InvoiceID, 200, ""},
		{"again", removed.InvoiceID, 200, ""},
		{"paid", paid.InvoiceID, 400, "BAD_REQUEST"},
		{"unknown", "p2_nope", 404, "NOT_FOUND"},
		{"empty", "", 400, "BAD_REQUEST"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var er monobank.ErrorResponse
			code := e.call(t, "POST", "/api/merchant/invoice/remove", token, map[string]any{"invoiceId": tt.id}, &er)
			if code != tt.wantCode || er.ErrCode != tt.wantErr {
				t.Errorf("remove: %d %q, want %d %q", code, er.ErrCode, tt.wantCode, tt.wantErr)
			}
		})
	}
	if st := e.status(t, removed.InvoiceID); st.Status != "expired" {
		t.Errorf("removed invoice status %s, want expired", st.Status)
	}
	if err := e.fake.Pay(removed.InvoiceID, true, ""); !errors.Is(err, monobank.ErrNotPayable) {
		t.Errorf("Pay(removed) = %v, want ErrNotPayable", err)
	}
	resp, err := http.Get(removed.PageURL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusConflict {
		t.Errorf("page of removed invoice: %d, want 409", resp.StatusCode)
	}

	e.clock.Advance(3599 * time.Second)
	if st := e.status(t, expiring.InvoiceID); st.Status != "created" {
		t.Errorf("before validity: %s, want created", st.Status)
	}
	e.clock.Advance(time.Second)
	st := e.status(t, expiring.InvoiceID)
	if st.Status != "expired" || st.ModifiedDate != "2024-05-01T11:00:00Z" {
		t.Errorf("after validity: %s %s, want expired 2024-05-01T11:00:00Z", st.Status, st.ModifiedDate)
	}
	if got := statuses(e.verifyWebhooks(t)); got != "processing,success" {
		t.Errorf("webhooks = %q: expiry and removal must not send any", got)
	}
}

func TestKeyRotation(t *testing.T) {
	e := newEnv(t)
	cached, err := sign.ParsePublicKey(e.fake.PublicKey())
	if err != nil {
		t.Fatal(err)
	}
	e.fake.SetPublicKeyRotation(1)
	e.createPaid(t, 100)
	got := e.hook.Received()
	if len(got) != 2 {
		t.Fatalf("received %d webhooks", len(got))
	}
	last := got[1]
	if err := sign.Verify(cached, last.Body, last.Header.Get("X-Sign")); !errors.Is(err, sign.ErrBadSignature) {
		t.Errorf("verify with the old key = %v, want ErrBadSignature", err)
	}
	// The client's path: refetch once, then it verifies.
	before := e.fake.PubkeyRequests()
	var pk monobank.PubkeyResponse
	e.call(t, "GET", "/api/merchant/pubkey", token, nil, &pk)
	fresh, err := sign.ParsePublicKey(pk.Key)
	if err != nil {
		t.Fatal(err)
	}
	if err := sign.Verify(fresh, last.Body, last.Header.Get("X-Sign")); err != nil {
		t.Errorf("verify with the refetched key = %v", err)
	}
	if err := sign.Verify(fresh, got[0].Body, got[0].Header.Get("X-Sign")); !errors.Is(err, sign.ErrBadSignature) {
		t.Errorf("first webhook was signed by an older key, verify = %v", err)
	}
	if n := e.fake.PubkeyRequests() - before; n != 1 {
		t.Errorf("pubkey requests = %d, want 1", n)
	}

	e.fake.SetPublicKeyRotation(0)
	k := e.fake.PublicKey()
	e.fake.RotateKey()
	if e.fake.PublicKey() == k {
		t.Error("RotateKey kept the key")
	}
}

func TestWebhookRetries(t *testing.T) {
	tests := []struct {
		name          string
		codes         []int
		wantAttempts  int
		wantDelivered bool
	}{
		{"ok", nil, 1, true},
		{"two failures", []int{500, 503}, 3, true},
		{"204 is not 200", []int{204, 200}, 2, true},
		{"always failing", []int{500, 500, 500, 500}, 3, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			cr := e.create(t, 100)
			e.fake.SetDropWebhooks(true)
			if err := e.fake.Pay(cr.InvoiceID, true, ""); err != nil {
				t.Fatal(err)
			}
			e.hook.AnswerWith(tt.codes...)
			if err := e.fake.Resend(cr.InvoiceID); err != nil {
				t.Fatal(err)
			}
			log := e.fake.Webhooks()
			w := log[len(log)-1]
			if w.Attempts != tt.wantAttempts || w.Delivered() != tt.wantDelivered {
				t.Errorf("attempts %d delivered %v, want %d %v", w.Attempts, w.Delivered(), tt.wantAttempts, tt.wantDelivered)
			}
			if n := len(e.hook.Received()); n != tt.wantAttempts {
				t.Errorf("receiver saw %d POSTs, want %d", n, tt.wantAttempts)
			}
		})
	}
}

func TestUnreachableWebhookURL(t *testing.T) {
	e := newEnv(t)
	e.fake.Client = &http.Client{Timeout: time.Second}
	cr := e.create(t, 100)
	e.hook.Close() // the merchant is down
	if err := e.fake.Pay(cr.InvoiceID, true, ""); err != nil {
		t.Fatal(err)
	}
	log := e.fake.Webhooks()
	if len(log) != 2 || log[1].Err == "" || log[1].Delivered() || log[1].Attempts != 3 {
		t.Errorf("Webhooks() = %+v", log)
	}
	if st := e.status(t, cr.InvoiceID); st.Status != "success" {
		t.Errorf("status = %s", st.Status)
	}
}
