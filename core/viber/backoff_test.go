package viber

import (
	"testing"
	"time"
)

// TestBackoff: only Viber's HTTP 429 slows the bot down as a whole; status
// 12 limits one receiver and other failures say nothing about waiting.
func TestBackoff(t *testing.T) {
	tests := []struct {
		name string
		e    APIError
		want time.Duration
	}{
		{"HTTP 429", APIError{HTTPStatus: 429, Status: NoStatus}, time.Minute},
		{"status 12, one receiver", APIError{HTTPStatus: 200, Status: StatusTooManyRequests}, 0},
		{"server error", APIError{HTTPStatus: 503, Status: NoStatus}, 0},
		{"network", APIError{}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.e.Backoff(); got != tt.want {
				t.Errorf("Backoff = %v, want %v", got, tt.want)
			}
		})
	}
}
