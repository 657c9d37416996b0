package sandbox

import (
	"context"
	"errors"
	"fmt"

	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/kv"
	"github.com/paylastic/edge/core/merchant"
	"github.com/paylastic/edge/core/money"
)

// Refund returns a successful sandbox payment in full, as a real acquirer's
// refund call does: the bank's record becomes reversed, which Status then
// reports. Only full refunds exist, as in the product's bot. A payment that
// is not successful (or already reversed) is errs.Conflict.
func (b *Bank) Refund(ctx context.Context, m merchant.Merchant, ref check.Ref, a check.Attempt, amount money.Amount) error {
	rec, err := b.record(ctx, a.ProviderRef)
	switch {
	case errors.Is(err, kv.ErrNotFound):
		return errs.E(errs.Conflict, "sandbox payment %s was never paid", a.ProviderRef)
	case err != nil:
		return errs.Wrap(errs.Unavailable, err, "sandbox bank unavailable")
	case rec.Check != ref.ID:
		return fmt.Errorf("sandbox payment %s is not for check %s", a.ProviderRef, ref.ID)
	case rec.Status != check.AttemptSuccess:
		return errs.E(errs.Conflict, "sandbox payment %s is %s, not refundable", a.ProviderRef, rec.Status)
	case amount != rec.Amount:
		return errs.E(errs.Invalid, "the sandbox refunds only the full amount")
	}
	rec.Status = check.AttemptReversed
	rec.Modified = b.env.Now().UTC()
	if err := b.putRecord(ctx, rec); err != nil {
		return errs.Wrap(errs.Unavailable, err, "sandbox bank unavailable")
	}
	return nil
}
