package errs

import (
	"errors"
	"fmt"
	"net/http"
	"testing"
)

func TestHTTPStatus(t *testing.T) {
	cause := errors.New("disk on fire")
	tests := []struct {
		name string
		err  error
		want int
		msg  string
	}{
		{"nil", nil, 200, "internal error"},
		{"invalid", E(Invalid, "bad name"), 400, "bad name"},
		{"wrapped invalid", fmt.Errorf("create merchant: %w", E(Invalid, "bad name")), 400, "bad name"},
		{"not found", E(NotFound, "no merchant"), 404, "no merchant"},
		{"unauthorized", E(Unauthorized, "token"), 401, "token"},
		{"conflict", E(Conflict, "paid"), 409, "paid"},
		{"too many", E(TooMany, "slow down"), 429, "slow down"},
		{"unavailable", Wrap(Unavailable, cause, "storage unavailable"), 503, "storage unavailable"},
		{"plain error", cause, http.StatusInternalServerError, "internal error"},
		{"internal hides message", Wrap(Internal, cause, "secret detail"), 500, "internal error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := HTTPStatus(tt.err); got != tt.want {
				t.Errorf("HTTPStatus = %d, want %d", got, tt.want)
			}
			if tt.err != nil {
				if got := MessageOf(tt.err); got != tt.msg {
					t.Errorf("MessageOf = %q, want %q", got, tt.msg)
				}
			}
		})
	}
	if !errors.Is(Wrap(Unavailable, cause, "x"), cause) {
		t.Error("Wrap does not unwrap to its cause")
	}
}
