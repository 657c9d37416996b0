package checks

import (
	"testing"

	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/merchant"
)

func TestPermissions(t *testing.T) {
	s := &Service{Signer: check.NewSigner("roles")}
	cashier := merchant.Operator{Merchant: "m1", Messenger: "telegram", UserID: "1", Role: merchant.Cashier}
	other := merchant.Operator{Merchant: "m1", Messenger: "telegram", UserID: "2", Role: merchant.Cashier}
	owner := merchant.Operator{Merchant: "m1", Messenger: "telegram", UserID: "3", Role: merchant.Owner}
	legacy := merchant.Operator{Merchant: "m1", Messenger: "viber", UserID: "4"} // bound before roles
	elsewhere := merchant.Operator{Merchant: "m2", Messenger: "telegram", UserID: "5", Role: merchant.Owner}
	ref := check.Ref{Merchant: "m1", Operator: cashier.ID(s.Signer.Key())}
	for _, tc := range []struct {
		name           string
		op             merchant.Operator
		cashierRefunds bool
		act, refund    bool
	}{
		{"own check", cashier, false, true, false},
		{"own check, cashier refunds on", cashier, true, true, true},
		{"another cashier's", other, true, false, true},
		{"owner", owner, false, true, true},
		{"operator from before roles", legacy, false, true, true},
		{"owner of another shop", elsewhere, false, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := s.mayAct(tc.op, ref); got != tc.act {
				t.Errorf("mayAct = %v, want %v", got, tc.act)
			}
			err := mayRefund(tc.op, merchant.Merchant{ID: "m1", CashierRefunds: tc.cashierRefunds})
			if got := err == nil; got != tc.refund {
				t.Errorf("mayRefund = %v, want allowed %v", err, tc.refund)
			}
			if err != nil && errs.CodeOf(err) != errs.Forbidden {
				t.Errorf("mayRefund code = %s, want forbidden", errs.CodeOf(err))
			}
		})
	}
}
