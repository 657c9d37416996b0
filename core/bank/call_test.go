package bank_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/paylastic/edge/core/bank"
	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/money"
)

// TestCall: an answer is returned whatever its status, bounded; the request
// carries its headers; a bank that cannot be reached is unavailable.
func TestCall(t *testing.T) {
	echo := func(rw http.ResponseWriter, r *http.Request) {
		pad, _ := strconv.Atoi(r.Header.Get("X-Pad"))
		rw.WriteHeader(http.StatusTeapot)
		fmt.Fprintf(rw, "%s %s;%s", r.Method, r.URL.Path, strings.Repeat("x", pad))
	}
	srv := httptest.NewServer(http.HandlerFunc(echo))
	defer srv.Close()
	down := httptest.NewServer(http.NotFoundHandler())
	down.Close()
	tests := []struct {
		name     string
		url      string
		pad      int
		wantCode errs.Code
	}{
		{"answered", srv.URL + "/api/x", 3, ""},
		{"a long answer, bounded", srv.URL + "/api/x", bank.MaxAnswer, ""},
		{"down", down.URL + "/api/x", 0, errs.Unavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body, err := bank.Env{}.Call(context.Background(), bank.Request{
				Bank: "testbank", What: "GET /api/x", Method: http.MethodGet, URL: tt.url,
				Header: http.Header{"X-Pad": {strconv.Itoa(tt.pad)}},
			})
			if errs.CodeOf(err) != tt.wantCode {
				t.Fatalf("Call = %v, want code %q", err, tt.wantCode)
			}
			if err != nil {
				if !strings.Contains(err.Error(), "GET /api/x") || errs.MessageOf(err) != "testbank unavailable" {
					t.Errorf("error %q (message %q) does not name the call and the bank", err, errs.MessageOf(err))
				}
				return
			}
			want := "GET /api/x;" + strings.Repeat("x", tt.pad)
			want = want[:min(len(want), bank.MaxAnswer)]
			if status != http.StatusTeapot || string(body) != want {
				t.Errorf("Call = %d, %.40q (%d bytes); want %d, %.40q (%d bytes)", status, body, len(body), http.StatusTeapot, want, len(want))
			}
		})
	}
}

func TestCheckRefund(t *testing.T) {
	ref := check.Ref{Amount: 1250}
	tests := []struct {
		amount money.Amount
		want   errs.Code
	}{
		{1250, ""}, {1, ""}, {0, errs.Invalid}, {-1, errs.Invalid}, {1251, errs.Invalid},
	}
	for _, tt := range tests {
		if got := errs.CodeOf(bank.CheckRefund(ref, tt.amount)); got != tt.want {
			t.Errorf("CheckRefund(%v of %v) = %q, want %q", tt.amount, ref.Amount, got, tt.want)
		}
	}
}

func TestClipReason(t *testing.T) {
	long := strings.Repeat("й", bank.MaxReason+1)
	tests := []struct{ in, want string }{
		{"Недостатньо коштів", "Недостатньо коштів"},
		{strings.Repeat("й", bank.MaxReason), strings.Repeat("й", bank.MaxReason)},
		{long, strings.Repeat("й", bank.MaxReason-1) + "…"},
	}
	for _, tt := range tests {
		if got := bank.ClipReason(tt.in); got != tt.want {
			t.Errorf("ClipReason(%.20q…) = %.20q…, want %.20q…", tt.in, got, tt.want)
		}
	}
}
