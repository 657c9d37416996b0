package liqpay

import "errors"

// Errors of the test controls (Pay, Resend, SendStale).
var (
	ErrUnknownOrder = errors.New("fake liqpay: unknown order")
	ErrNotPayable   = errors.New("fake liqpay: order is not awaiting payment")
	ErrNoCallback   = errors.New("fake liqpay: no such callback to send")
)
