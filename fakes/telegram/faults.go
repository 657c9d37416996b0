package telegram

import (
	"context"
	"strings"
	"time"
)

// fault is a pending injected failure.
type fault struct {
	err *apiError
	n   int // calls left to fail
}

// FailNext makes the next n calls of method (any method when method is "")
// fail with HTTP status and the description Telegram uses for it, e.g. 429
// "Too Many Requests: retry after 5" with parameters.retry_after =
// retryAfter, or 403 "Forbidden: bot was blocked by the user". Failed calls
// are recorded like any other. Faults queue up: FailNext twice on a method
// fails 2n calls. Faults for a method are used before those for "".
//
// telego turns 4xx answers into *telegoapi.Error and answers of 500 and above
// into a plain "internal server error" error.
func (s *Server) FailNext(method string, status int, retryAfter int, n int) {
	if n <= 0 {
		return
	}
	key := strings.ToLower(method)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[key] = append(s.faults[key], &fault{err: faultError(status, retryAfter), n: n})
}

// takeFaultLocked consumes one pending failure for method (lower case), or returns nil.
func (s *Server) takeFaultLocked(method string) *apiError {
	for _, key := range []string{method, ""} {
		q := s.faults[key]
		if len(q) == 0 {
			continue
		}
		f := q[0]
		if f.n--; f.n == 0 {
			s.faults[key] = q[1:]
		}
		return f.err
	}
	return nil
}

// SetLatency delays every answer by d (0 to stop), as a slow network would.
// A request whose client goes away during the delay is dropped unanswered
// and unrecorded.
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency = d
}

// sleep waits for the configured latency; false if ctx ended first.
func (s *Server) sleep(ctx context.Context) bool {
	s.mu.Lock()
	d := s.latency
	s.mu.Unlock()
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
