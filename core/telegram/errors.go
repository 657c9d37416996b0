package telegram

import (
	"errors"
	"fmt"
	"strings"
	"time"

	ta "github.com/mymmrac/telego/telegoapi"
)

// APIError is a failed Bot API call, with the bot token scrubbed from its
// text (telego's network errors quote the request URL, which holds it).
type APIError struct {
	Method string
	// Code is the Bot API error_code (400, 403, 429…); 0 when there is no
	// answer to read: a network failure or a 5xx.
	Code        int
	RetryAfter  int // seconds, for 429
	Description string
}

func (e *APIError) Error() string {
	s := "telegram " + e.Method + ": "
	if e.Code != 0 {
		s += fmt.Sprintf("%d ", e.Code)
	}
	s += e.Description
	if e.RetryAfter > 0 {
		s += fmt.Sprintf(" (retry after %ds)", e.RetryAfter)
	}
	return s
}

// Temporary reports whether the same call may succeed later: flood control
// (429), a server error or no answer at all. Other refusals (400 bad
// request, 403 blocked by the user) will not change by retrying.
func (e *APIError) Temporary() bool { return e.Code == 0 || e.Code == 429 || e.Code >= 500 }

// Backoff is how long Telegram asked us to wait before calling again: the
// retry_after of flood control (429), at least a second; zero for any other
// failure. The scheduled pass sends no more notices in its run once it is
// set (checks.Sweep), instead of hammering an API that is limiting us.
func (e *APIError) Backoff() time.Duration {
	if e.Code != 429 {
		return 0
	}
	return max(time.Duration(e.RetryAfter)*time.Second, time.Second)
}

// fail turns telego's error into an *APIError, with the token scrubbed. It
// does not log: the caller that handles the failure does, once.
func (c *Client) fail(method string, err error) *APIError {
	ae := &APIError{Method: method}
	var te *ta.Error
	if errors.As(err, &te) {
		ae.Code, ae.Description = te.ErrorCode, te.Description
		if te.Parameters != nil {
			ae.RetryAfter = te.Parameters.RetryAfter
		}
	} else {
		ae.Description = err.Error()
	}
	if c.Token != "" {
		ae.Description = strings.ReplaceAll(ae.Description, c.Token, "<token>")
	}
	return ae
}
