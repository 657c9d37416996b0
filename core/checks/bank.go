package checks

import (
	"context"

	"github.com/paylastic/edge/core/bank"
	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/merchant"
	"github.com/paylastic/edge/core/money"
)

// Bank is what the use cases ask of the merchants' banks. bank.Registry
// implements it: a new payment goes to the merchant's bank, everything about
// an attempt to the bank that started it.
type Bank interface {
	// Start creates the bank's payment for attempt c.Seq of a check.
	Start(ctx context.Context, c bank.Checkout) (bank.Payment, error)
	// Resume sends the buyer back to an unfinished attempt.
	Resume(ctx context.Context, c bank.Checkout, a check.Attempt) (bank.Redirect, error)
	// Status asks where an attempt stands (the result page, the scheduled
	// pass), when its callback is late or lost.
	Status(ctx context.Context, m merchant.Merchant, ref check.Ref, a check.Attempt) (check.Event, error)
	// Cancel withdraws an unpaid attempt of a cancelled check.
	Cancel(ctx context.Context, m merchant.Merchant, ref check.Ref, a check.Attempt) error
	// Refund returns a successful attempt's payment.
	Refund(ctx context.Context, m merchant.Merchant, ref check.Ref, a check.Attempt, amount money.Amount) error
	// Ready says whether merchant m can take payments here at all (a bank
	// enabled and set up), without calling the bank: errs.Refused if not.
	Ready(m merchant.Merchant) error
}

var _ Bank = bank.Registry{}
