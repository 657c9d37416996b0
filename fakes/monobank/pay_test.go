package monobank_test

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/paylastic/edge/fakes/internal/fakebank/fakebanktest"
	"github.com/paylastic/edge/fakes/monobank"
)

func TestHostedPage(t *testing.T) {
	tests := []struct {
		name         string
		card         string
		wantCode     int
		wantStatuses string // webhooks received
		wantStatus   string // invoice/status afterwards
		wantErrCode  string
		wantPan      string
	}{
		{"success card", "4242 4242 4242 4242", 303, "processing,success", "success", "", "424242******4242"},
		{"decline card", "4000000000000002", 303, "processing,failure", "failure", "59", "400000******0002"},
		{"other luhn card", "5555-5555-5555-4444", 303, "processing,success", "success", "", "555555******4444"},
		{"not luhn", "4242424242424241", 400, "", "created", "", ""},
		{"empty", "", 400, "", "created", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			cr := e.create(t, 4200)

			resp, err := http.Get(cr.PageURL)
			if err != nil {
				t.Fatal(err)
			}
			page, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || !strings.Contains(string(page), `name="cardNumber"`) || !strings.Contains(string(page), "42,00 грн") {
				t.Fatalf("GET page: %d\n%s", resp.StatusCode, page)
			}

			resp, err = fakebanktest.NoRedirect.PostForm(cr.PageURL, url.Values{"cardNumber": {tt.card}, "exp": {"12/30"}, "cvv": {"123"}})
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.wantCode {
				t.Fatalf("POST page: got %d, want %d", resp.StatusCode, tt.wantCode)
			}
			if tt.wantCode == 303 {
				if got := resp.Header.Get("Location"); got != "https://shop.example/pay/result?ref=INV-1" {
					t.Errorf("Location = %q", got)
				}
			}

			hooks := e.verifyWebhooks(t)
			if got := statuses(hooks); got != tt.wantStatuses {
				t.Errorf("webhooks = %q, want %q", got, tt.wantStatuses)
			}
			for i := 1; i < len(hooks); i++ {
				if hooks[i].ModifiedDate <= hooks[i-1].ModifiedDate {
					t.Errorf("modifiedDate not increasing: %q then %q", hooks[i-1].ModifiedDate, hooks[i].ModifiedDate)
				}
			}
			st := e.status(t, cr.InvoiceID)
			if st.Status != tt.wantStatus || st.ErrCode != tt.wantErrCode {
				t.Errorf("status = %s/%q, want %s/%q", st.Status, st.ErrCode, tt.wantStatus, tt.wantErrCode)
			}
			if len(hooks) > 0 && hooks[len(hooks)-1].ModifiedDate != st.ModifiedDate {
				t.Errorf("last webhook modifiedDate %q, status %q", hooks[len(hooks)-1].ModifiedDate, st.ModifiedDate)
			}
			if tt.wantPan != "" && (st.PaymentInfo == nil || st.PaymentInfo.MaskedPan != tt.wantPan) {
				t.Errorf("paymentInfo = %+v, want maskedPan %s", st.PaymentInfo, tt.wantPan)
			}
			if st.Status == "failure" && st.FailureReason == "" {
				t.Error("failure without failureReason")
			}
			if st.Status == "success" && st.FinalAmount != 4200 {
				t.Errorf("finalAmount = %d, want 4200", st.FinalAmount)
			}
			for _, w := range e.fake.Webhooks() {
				if strings.Contains(string(w.Body), strings.ReplaceAll(tt.card, " ", "")) && tt.card != "" {
					t.Error("webhook body contains the card number")
				}
			}
		})
	}
}

func TestPayTwiceAndPageAfterPayment(t *testing.T) {
	e := newEnv(t)
	cr := e.createPaid(t, 100)
	if err := e.fake.Pay(cr.InvoiceID, true, ""); !errors.Is(err, monobank.ErrNotPayable) {
		t.Errorf("second Pay = %v, want ErrNotPayable", err)
	}
	if err := e.fake.Pay("p2_nope", true, ""); !errors.Is(err, monobank.ErrUnknownInvoice) {
		t.Errorf("Pay(unknown) = %v, want ErrUnknownInvoice", err)
	}
	resp, err := fakebanktest.NoRedirect.PostForm(cr.PageURL, url.Values{"cardNumber": {monobank.CardSuccess}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusConflict {
		t.Errorf("POST page of a paid invoice: %d, want 409", resp.StatusCode)
	}
	if got := statuses(e.verifyWebhooks(t)); got != "processing,success" {
		t.Errorf("webhooks = %q", got)
	}
}

func TestPayReasons(t *testing.T) {
	tests := []struct {
		name, reason, wantReason, wantCode string
	}{
		{"default", "", "На картці недостатньо коштів для завершення покупки", "59"},
		{"table text", "Неправильний CVV код (3 цифри на звороті картки)", "Неправильний CVV код (3 цифри на звороті картки)", "80"},
		{"free text", "Щось пішло не так", "Щось пішло не так", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			cr := e.create(t, 100)
			if err := e.fake.Pay(cr.InvoiceID, false, tt.reason); err != nil {
				t.Fatal(err)
			}
			st := e.status(t, cr.InvoiceID)
			if st.Status != "failure" || st.FailureReason != tt.wantReason || st.ErrCode != tt.wantCode {
				t.Errorf("got %s %q %q, want failure %q %q", st.Status, st.FailureReason, st.ErrCode, tt.wantReason, tt.wantCode)
			}
		})
	}
}

func TestConcurrentPay(t *testing.T) {
	e := newEnv(t)
	cr := e.create(t, 100)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() { errs <- e.fake.Pay(cr.InvoiceID, true, "") })
	}
	wg.Wait()
	close(errs)
	ok := 0
	for err := range errs {
		if err == nil {
			ok++
		} else if !errors.Is(err, monobank.ErrNotPayable) {
			t.Error(err)
		}
	}
	if ok != 1 {
		t.Errorf("%d Pays succeeded, want 1", ok)
	}
	if got := statuses(e.verifyWebhooks(t)); got != "processing,success" {
		t.Errorf("webhooks = %q", got)
	}
}
