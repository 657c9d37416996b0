package httpx

import (
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/paylastic/edge/core/errs"
)

func TestStatus(t *testing.T) {
	cause := errors.New("disk on fire")
	tests := []struct {
		name string
		err  error
		want int
		msg  string
	}{
		{"nil", nil, 200, "internal error"},
		{"invalid", errs.E(errs.Invalid, "bad name"), 400, "bad name"},
		{"wrapped invalid", fmt.Errorf("create merchant: %w", errs.E(errs.Invalid, "bad name")), 400, "bad name"},
		{"not found", errs.E(errs.NotFound, "no merchant"), 404, "no merchant"},
		{"unauthorized", errs.E(errs.Unauthorized, "token"), 401, "token"},
		{"conflict", errs.E(errs.Conflict, "paid"), 409, "paid"},
		{"forbidden", errs.E(errs.Forbidden, "disabled"), 403, "disabled"},
		{"refused", errs.E(errs.Refused, "monobank refused the token"), 422, "monobank refused the token"},
		{"too many", errs.E(errs.TooMany, "slow down"), 429, "slow down"},
		{"unavailable", errs.Storage(cause), 503, "storage unavailable"},
		{"plain error", cause, http.StatusInternalServerError, "internal error"},
		{"internal hides message", errs.Wrap(errs.Internal, cause, "secret detail"), 500, "internal error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Status(tt.err); got != tt.want {
				t.Errorf("Status = %d, want %d", got, tt.want)
			}
			if tt.err != nil {
				if got := errs.MessageOf(tt.err); got != tt.msg {
					t.Errorf("MessageOf = %q, want %q", got, tt.msg)
				}
			}
		})
	}
	if !errors.Is(errs.Wrap(errs.Unavailable, cause, "x"), cause) {
		t.Error("Wrap does not unwrap to its cause")
	}
}
