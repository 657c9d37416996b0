package errs

import (
	"errors"
	"fmt"
	"testing"
)

func TestCodeAndMessage(t *testing.T) {
	cause := errors.New("disk on fire")
	tests := []struct {
		name string
		err  error
		code Code
		msg  string
	}{
		{"invalid", E(Invalid, "bad name"), Invalid, "bad name"},
		{"wrapped", fmt.Errorf("create merchant: %w", E(NotFound, "no merchant")), NotFound, "no merchant"},
		{"storage", Storage(cause), Unavailable, "storage unavailable"},
		{"plain error", cause, Internal, "internal error"},
		{"internal hides message", Wrap(Internal, cause, "secret detail"), Internal, "internal error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CodeOf(tt.err); got != tt.code {
				t.Errorf("CodeOf = %q, want %q", got, tt.code)
			}
			if got := MessageOf(tt.err); got != tt.msg {
				t.Errorf("MessageOf = %q, want %q", got, tt.msg)
			}
		})
	}
	if CodeOf(nil) != "" {
		t.Error("CodeOf(nil) is not empty")
	}
	if !errors.Is(Storage(cause), cause) {
		t.Error("Storage does not unwrap to its cause")
	}
}
