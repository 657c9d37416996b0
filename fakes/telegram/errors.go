package telegram

import (
	"errors"
	"fmt"
	"net/http"
)

// ErrTimeout is returned (wrapped) by WaitCalls when the calls did not arrive in time.
var ErrTimeout = errors.New("telegram fake: timeout")

// apiError is an error answer: the HTTP status doubles as error_code.
type apiError struct {
	status      int
	description string
	retryAfter  int // seconds; sent as parameters.retry_after when > 0
}

func (e *apiError) Error() string { return fmt.Sprintf("%d %s", e.status, e.description) }

// badRequest is a 400 whose description starts "Bad Request: ", like Telegram's.
func badRequest(format string, args ...any) *apiError {
	return &apiError{status: http.StatusBadRequest, description: "Bad Request: " + fmt.Sprintf(format, args...)}
}

// Descriptions the real Bot API uses for the errors the fake reproduces.
var (
	errUnauthorized   = &apiError{status: http.StatusUnauthorized, description: "Unauthorized"}
	errNotFound       = &apiError{status: http.StatusNotFound, description: "Not Found"}
	errTooLarge       = &apiError{status: http.StatusRequestEntityTooLarge, description: "Request Entity Too Large"}
	errChatEmpty      = badRequest("chat_id is empty")
	errChatNotFound   = badRequest("chat not found")
	errTextEmpty      = badRequest("message text is empty")
	errMessageEmpty   = badRequest("message must be non-empty")
	errTextTooLong    = badRequest("message is too long")
	errCaptionTooLong = badRequest("message caption is too long")
	errNotUTF8        = badRequest("text must be encoded in UTF-8")
	errParseMode      = badRequest("unsupported parse_mode")
	errNoPhoto        = badRequest("there is no photo in the request")
	errWrongFile      = badRequest("wrong file identifier/HTTP URL specified")
	errEmptyFile      = badRequest("file must be non-empty")
	errImage          = badRequest("IMAGE_PROCESS_FAILED")
	errDimensions     = badRequest("PHOTO_INVALID_DIMENSIONS")
	errMarkup         = badRequest("can't parse reply keyboard markup JSON object")
	errButtonText     = badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
	errButtonData     = badRequest("BUTTON_DATA_INVALID")
	errButtonURL      = badRequest("BUTTON_URL_INVALID")
	errNoMessageID    = badRequest("message identifier is not specified")
	errEditNotFound   = badRequest("message to edit not found")
	errDeleteNotFound = badRequest("message to delete not found")
	errNoText         = badRequest("there is no text in the message to edit")
	errNoCaption      = badRequest("there is no caption in the message to edit")
	errNotModified    = badRequest("message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message")
	errQueryID        = badRequest("query is too old and response timeout expired or query ID is invalid")
	errWebhookHTTPS   = badRequest("bad webhook: An HTTPS URL must be provided for webhook")
	errWebhookPort    = badRequest("bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443")
	errSecretToken    = badRequest("secret token contains unallowed characters")
	errWebhookActive  = &apiError{status: http.StatusConflict, description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"}
	errAllowedUpdates = badRequest("can't parse allowed updates JSON array")
	errBadBody        = badRequest("can't parse request body")
	errBadJSON        = badRequest("can't parse JSON object")
)

// faultError is the answer FailNext injects for status.
func faultError(status, retryAfter int) *apiError {
	e := &apiError{status: status, retryAfter: retryAfter}
	switch status {
	case http.StatusBadRequest:
		e.description = "Bad Request"
	case http.StatusForbidden:
		e.description = "Forbidden: bot was blocked by the user"
	case http.StatusConflict:
		e.description = "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
	case http.StatusTooManyRequests:
		e.description = fmt.Sprintf("Too Many Requests: retry after %d", retryAfter)
	default:
		e.description = http.StatusText(status)
	}
	if e.description == "" {
		e.description = fmt.Sprintf("Error %d", status)
	}
	return e
}
