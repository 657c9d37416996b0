package viber

import (
	"fmt"
	"strings"
	"time"
)

// Viber API "status" codes used here, from
// https://developers.viber.com/docs/api/rest-bot-api/#error-codes.
const (
	StatusOK                    = 0
	StatusReceiverNotRegistered = 5
	StatusReceiverNotSubscribed = 6
	StatusTooManyRequests       = 12
	// NoStatus marks an APIError without a readable Viber status: no
	// answer, an HTTP error, or an answer that is not Viber's JSON.
	NoStatus = -1
)

// APIError is a failed REST Bot API call.
type APIError struct {
	Method string
	// HTTPStatus is the answer's HTTP status; 0 when there was no answer
	// (network failure, timeout).
	HTTPStatus int
	// Status is Viber's "status" (HTTP 200 answers); NoStatus when there is
	// none to read.
	Status      int
	Description string // status_message, or what went wrong
}

func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("viber " + e.Method + ": ")
	switch {
	case e.HTTPStatus == 0:
	case e.HTTPStatus != 200 || e.Status == NoStatus:
		fmt.Fprintf(&b, "HTTP %d ", e.HTTPStatus)
	default:
		fmt.Fprintf(&b, "status %d ", e.Status)
	}
	b.WriteString(e.Description)
	return b.String()
}

// Temporary reports whether the same call may succeed later: no answer, a
// server error (HTTP 5xx or 429, or an answer that is not Viber's), or
// status 12, too many requests (100 messages to a user within an hour
// without a reply). Other statuses (receiver not subscribed, bad data,
// blocked account…) do not change by retrying.
func (e *APIError) Temporary() bool {
	switch {
	case e.HTTPStatus == 0:
		return true
	case e.HTTPStatus != 200:
		return e.HTTPStatus == 429 || e.HTTPStatus >= 500
	}
	return e.Status == NoStatus || e.Status == StatusTooManyRequests
}

// Backoff is how long to wait after Viber's rate limit, HTTP 429: Viber
// sends no retry_after, so a minute (the scheduled pass sends no more
// notices to Viber in its run once it is set, see checks.Sweep). Status 12
// limits one receiver (100 messages within an hour without a reply), not
// the bot, so it does not hold the notices of other users back: zero, as
// for any other failure.
func (e *APIError) Backoff() time.Duration {
	if e.HTTPStatus == 429 {
		return time.Minute
	}
	return 0
}

// fail scrubs the auth token from e (transport errors may quote the
// request). It does not log: the caller that handles the failure does, once.
func (c *Client) fail(e *APIError) *APIError {
	if c.Token != "" {
		e.Description = strings.ReplaceAll(e.Description, c.Token, "<token>")
	}
	return e
}
