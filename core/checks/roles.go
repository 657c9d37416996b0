package checks

import (
	"context"
	"encoding/binary"
	"errors"

	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/ids"
	"github.com/paylastic/edge/core/merchant"
)

// ErrCashierRefund is wrapped in the errs.Forbidden that Refund returns to
// a cashier of a shop whose owner has not allowed cashier refunds.
var ErrCashierRefund = errors.New("checks: cashiers of this shop may not refund")

// mayAct reports whether op may see and act on the check r points to: its
// own checks for everyone, every check of the shop for an owner. A check
// of another shop is never anyone's here.
func (s *Service) mayAct(op merchant.Operator, r check.Ref) bool {
	if r.Merchant != "" && r.Merchant != op.Merchant {
		return false
	}
	return op.IsOwner() || op.ID(s.Signer.Key()) == r.Operator
}

// mayRefund is mayAct plus the shop's rule for cashiers: an owner always
// may refund; a cashier only their own checks, and only when the merchant
// allows it (Merchant.CashierRefunds).
func mayRefund(op merchant.Operator, m merchant.Merchant) error {
	if op.IsOwner() || m.CashierRefunds {
		return nil
	}
	return errs.Wrap(errs.Forbidden, ErrCashierRefund, "cashiers may not refund")
}

// lookupAs finds the check of a Handle among the checks op may see. The
// handle does not name the operator (it must fit a button's 64 bytes), and
// the KV key does: an owner's press on a cashier's check is tried under
// each operator of the shop, its own first (one KV read each, a shop has a
// handful; removed operators too: their checks stay the shop's).
func (s *Service) lookupAs(ctx context.Context, op merchant.Operator, short string) (check.Check, error) {
	b, err := ids.Decode(short, check.IDBytes+8)
	if err != nil {
		return check.Check{}, errs.E(errs.NotFound, "no such check")
	}
	r := check.Ref{
		ID:      ids.Encode(b[:check.IDBytes]),
		Created: unixAt(binary.BigEndian.Uint32(b[check.IDBytes:])),
		Expires: unixAt(binary.BigEndian.Uint32(b[check.IDBytes+4:])),
	}
	own := op.ID(s.Signer.Key())
	r.Operator = own
	chk, err := s.Check(ctx, r)
	if err == nil || errs.CodeOf(err) != errs.NotFound || !op.IsOwner() {
		return s.shopCheck(op, chk, err)
	}
	staff, lerr := s.Merchants.Members(ctx, op.Merchant)
	if lerr != nil {
		return check.Check{}, lerr
	}
	for _, o := range staff {
		if r.Operator = o.ID(s.Signer.Key()); r.Operator == own {
			continue
		}
		chk, err = s.Check(ctx, r)
		if errs.CodeOf(err) != errs.NotFound {
			return s.shopCheck(op, chk, err)
		}
	}
	return check.Check{}, err
}

// shopCheck keeps a found check only if it is of op's shop.
func (s *Service) shopCheck(op merchant.Operator, chk check.Check, err error) (check.Check, error) {
	if err != nil {
		return chk, err
	}
	if !s.mayAct(op, chk.Ref()) {
		return check.Check{}, errs.E(errs.NotFound, "no such check")
	}
	return chk, nil
}
