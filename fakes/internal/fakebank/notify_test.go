package fakebank

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
)

func TestSend(t *testing.T) {
	tests := []struct {
		name         string
		tries        int
		codes        []int // answers in turn, then 200
		wantAttempts int
		wantCode     int
	}{
		{"ok", 3, nil, 1, 200},
		{"once, failing", 1, []int{500}, 1, 500},
		{"two failures", 3, []int{500, 503}, 3, 200},
		{"always failing", 3, []int{500, 500, 500, 500}, 3, 500},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			codes := slices.Clone(tt.codes)
			var sign []string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				sign = append(sign, r.Header.Get("X-Sign"))
				if len(codes) > 0 {
					w.WriteHeader(codes[0])
					codes = codes[1:]
				}
			}))
			defer srv.Close()
			attempts, code, errText := Send(context.Background(), srv.Client(), tt.tries, srv.URL, []byte("{}"), http.Header{"X-Sign": {"s"}})
			if attempts != tt.wantAttempts || code != tt.wantCode || errText != "" {
				t.Errorf("Send = %d, %d, %q; want %d, %d", attempts, code, errText, tt.wantAttempts, tt.wantCode)
			}
			if len(sign) != tt.wantAttempts || slices.ContainsFunc(sign, func(s string) bool { return s != "s" }) {
				t.Errorf("receiver saw X-Sign %q, want %d POSTs with \"s\"", sign, tt.wantAttempts)
			}
		})
	}
}

func TestSendUnanswered(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close()
	attempts, code, errText := Send(context.Background(), http.DefaultClient, 2, srv.URL, nil, nil)
	if attempts != 2 || code != 0 || errText == "" {
		t.Errorf("Send to a closed server = %d, %d, %q; want 2, 0 and an error", attempts, code, errText)
	}
}

func TestValues(t *testing.T) {
	a, b := "a", "b"
	got := Values([]*string{&a, &b})
	a = "changed"
	if !slices.Equal(got, []string{"a", "b"}) {
		t.Errorf("Values = %v, want [a b]", got)
	}
}
