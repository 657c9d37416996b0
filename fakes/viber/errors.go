package viber

import (
	"errors"
	"fmt"
)

// Viber API status codes, from the error table of
// https://developers.viber.com/docs/api/rest-bot-api/#error-codes.
const (
	StatusOK                         = 0
	StatusInvalidURL                 = 1
	StatusInvalidAuthToken           = 2
	StatusBadData                    = 3
	StatusMissingData                = 4
	StatusReceiverNotRegistered      = 5
	StatusReceiverNotSubscribed      = 6
	StatusPublicAccountBlocked       = 7
	StatusPublicAccountNotFound      = 8
	StatusPublicAccountSuspended     = 9
	StatusWebhookNotSet              = 10
	StatusReceiverNoSuitableDevice   = 11
	StatusTooManyRequests            = 12
	StatusAPIVersionNotSupported     = 13
	StatusIncompatibleWithVersion    = 14
	StatusPublicAccountNotAuthorized = 15
)

// statusMessages maps a status code to the "status_message" the API sends.
var statusMessages = map[int]string{
	StatusOK:                         "ok",
	StatusInvalidURL:                 "invalidUrl",
	StatusInvalidAuthToken:           "invalidAuthToken",
	StatusBadData:                    "badData",
	StatusMissingData:                "missingData",
	StatusReceiverNotRegistered:      "receiverNotRegistered",
	StatusReceiverNotSubscribed:      "receiverNotSubscribed",
	StatusPublicAccountBlocked:       "publicAccountBlocked",
	StatusPublicAccountNotFound:      "publicAccountNotFound",
	StatusPublicAccountSuspended:     "publicAccountSuspended",
	StatusWebhookNotSet:              "webhookNotSet",
	StatusReceiverNoSuitableDevice:   "receiverNoSuitableDevice",
	StatusTooManyRequests:            "tooManyRequests",
	StatusAPIVersionNotSupported:     "apiVersionNotSupported",
	StatusIncompatibleWithVersion:    "incompatibleWithVersion",
	StatusPublicAccountNotAuthorized: "publicAccountNotAuthorized",
}

// missingAuthToken is the status_message for status 2 when the
// X-Viber-Auth-Token header is absent, as named by
// https://creators.viber.com/docs/bots-api/getting-started/authentication.
const missingAuthToken = "missing_auth_token"

// StatusMessage returns the "status_message" the API sends with status code
// status, or "generalError" for codes outside the documented table.
func StatusMessage(status int) string {
	if m, ok := statusMessages[status]; ok {
		return m
	}
	return "generalError"
}

var (
	// ErrTimeout is returned (wrapped) by [Server.WaitMessages] when fewer
	// messages than asked for arrived in time.
	ErrTimeout = errors.New("timeout")
	// ErrNoWebhook is returned by [Server.Deliver] when no URL was given and
	// the bot has not called set_webhook.
	ErrNoWebhook = errors.New("webhook not set")
)

// apiError is a rejected call: the status code to answer with and, for the
// call log only, why.
type apiError struct {
	status int
	detail string
}

func (e *apiError) Error() string {
	return fmt.Sprintf("status %d %s: %s", e.status, StatusMessage(e.status), e.detail)
}

func badData(format string, args ...any) *apiError {
	return &apiError{StatusBadData, fmt.Sprintf(format, args...)}
}

func missingData(field string) *apiError {
	return &apiError{StatusMissingData, field + " is required"}
}
