package monobank

import "errors"

// Errors of the test controls (Pay, Resend, SendStale).
var (
	ErrUnknownInvoice = errors.New("fake monobank: unknown invoice")
	ErrNotPayable     = errors.New("fake monobank: invoice is not awaiting payment")
	ErrNoWebhook      = errors.New("fake monobank: no such webhook to send")
)

// API error codes, from the OpenAPI error schemas.
const (
	codeBadRequest      = "BAD_REQUEST"
	codeInvalidPaymInfo = "INVALID_MERCHANT_PAYM_INFO"
	codeWrongCancel     = "WRONG_CANCEL_AMOUNT"
	codeCancelNA        = "CANCEL_NOT_AVAILABLE"
	codeForbidden       = "FORBIDDEN"
	codeNotFound        = "NOT_FOUND"
	codeMethod          = "METHOD_NOT_ALLOWED"
	codeTooMany         = "TMR"
)
