package banktest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/internal/testsupport"
)

// Answer is one answer of a bank's status call and what Status must make
// of it.
type Answer struct {
	Name string
	Code int // the answer's HTTP status
	Body string
	Want errs.Code // Status's error; "" for none, and then:
	// Status and Card are the event's; Log is what must be logged, and ""
	// that no status is logged as not documented.
	Status check.AttemptStatus
	Card   string
	Log    string
}

// StatusAnswers asks Status about attempt a at check ref of the harness's
// merchant, once for each answer, of a stub bank that gives only that
// answer (as JSON when it is JSON, as a page of the gateway's otherwise).
func StatusAnswers(t *testing.T, h Harness, ref check.Ref, a check.Attempt, answers []Answer) {
	for _, tt := range answers {
		t.Run(tt.Name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, _ *http.Request) {
				if strings.HasPrefix(tt.Body, "{") {
					rw.Header().Set("Content-Type", "application/json")
				}
				rw.WriteHeader(tt.Code)
				rw.Write([]byte(tt.Body))
			}))
			defer srv.Close()
			var logs testsupport.LogBuf
			env := h.Env()
			env.Log = logs.Logger()
			ev, err := h.New(env, srv.URL).Status(context.Background(), h.Merchant, ref, a)
			if tt.Want != "" {
				if errs.CodeOf(err) != tt.Want {
					t.Errorf("Status = %+v, %v; want %s", ev, err, tt.Want)
				}
				return
			}
			if err != nil || ev.Status != tt.Status || ev.Card != tt.Card {
				t.Errorf("Status = %+v, %v; want %s, card %q", ev, err, tt.Status, tt.Card)
			}
			if !strings.Contains(logs.String(), tt.Log) || (tt.Log == "" && strings.Contains(logs.String(), "not documented")) {
				t.Errorf("logged %q, want %q", logs.String(), tt.Log)
			}
		})
	}
}
