// Package errs is the product's one domain error type: a short, closed list of
// codes that every adapter maps once (HTTP status, bot reply). Anything that is
// not an *Error is an internal error: logged, never shown.
package errs

import (
	"errors"
	"fmt"
)

// Code classifies an error for the people and programs it reaches.
type Code string

const (
	Invalid      Code = "invalid"      // bad input: the caller must change it
	NotFound     Code = "not_found"    // no such merchant, check, code
	Unauthorized Code = "unauthorized" // missing or wrong credentials
	Forbidden    Code = "forbidden"    // not allowed here, whoever asks (a disabled API, a bad webhook signature)
	Conflict     Code = "conflict"     // the state does not allow it (paid check cancelled)
	Refused      Code = "refused"      // a bank refused what it was given, for good: retrying cannot help
	TooMany      Code = "too_many"     // throttled
	MediaType    Code = "media_type"   // a body in a format the route does not take
	Unavailable  Code = "unavailable"  // storage or an upstream failed: retry later
	Internal     Code = "internal"     // a bug
)

// Error is a domain error. Message is safe to show to the caller (English, for
// APIs); Err, if any, is the cause, for logs only.
type Error struct {
	Code    Code
	Message string
	Err     error
}

func (e *Error) Error() string {
	switch {
	case e.Err != nil && e.Message != "":
		return e.Message + ": " + e.Err.Error()
	case e.Err != nil:
		return string(e.Code) + ": " + e.Err.Error()
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// E makes an *Error with a formatted message.
func E(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Wrap makes an *Error with a cause. The message stays safe to show.
func Wrap(code Code, err error, message string) *Error {
	return &Error{Code: code, Message: message, Err: err}
}

// CodeOf returns the code of the first *Error in err's chain, Internal for any
// other non-nil error and "" for nil.
func CodeOf(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// MessageOf returns the caller-safe message of err, or a generic one.
func MessageOf(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Message != "" && e.Code != Internal {
		return e.Message
	}
	return "internal error"
}

// Storage is the error of a store that failed (not one that found nothing):
// Unavailable, so that the caller answers 5xx and the sender retries, and
// nothing is lost.
func Storage(err error) *Error { return Wrap(Unavailable, err, "storage unavailable") }
