package bot

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/merchant"
)

const cashierUser = "2002"

// as runs f with events from the messenger user u, and says so in the
// transcript.
func (s *script) as(u string, f func()) {
	s.t.Helper()
	fmt.Fprintf(&s.b, "=== as %s\n", u)
	s.who = u
	f()
	s.who = ""
}

// cashierCode issues a one-time cashier code of the world's merchant.
func (s *script) cashierCode() string {
	s.t.Helper()
	code, _, err := s.bot.Merchants.IssueCode(context.Background(), s.m.ID, merchant.Cashier)
	if err != nil {
		s.t.Fatal(err)
	}
	return code
}

// roleScenarios are owners and cashiers (TestConversationGolden): user is
// the owner (the merchant's first code), cashierUser a cashier.
var roleScenarios = []scenario{
	scenario{"cashier_cannot_refund", func(s *script) {
		s.activate(s.lang)
		code := s.cashierCode()
		var short string
		s.as(cashierUser, func() {
			s.say(Text, code)
			short = strings.TrimPrefix(cancelData(s.t, s.say(Text, "99")), CancelPrefix)
			s.pay(CancelPrefix+short, check.AttemptSuccess, "")
			s.say(Callback, RefundPrefix+short)    // the notice's button
			s.say(Callback, RefundYesPrefix+short) // an old confirmation: refused too
		})
		// the owner refunds the cashier's check
		s.say(Callback, RefundPrefix+short)
		s.say(Callback, RefundYesPrefix+short)
	}},
	scenario{"cashier_refunds_allowed", func(s *script) {
		s.activate(s.lang)
		if _, err := s.bot.Merchants.Update(context.Background(), s.m.ID, func(m *merchant.Merchant) error {
			m.CashierRefunds = true
			return nil
		}); err != nil {
			s.t.Fatal(err)
		}
		code := s.cashierCode()
		s.as(cashierUser, func() {
			s.say(Text, code)
			short := strings.TrimPrefix(cancelData(s.t, s.say(Text, "99")), CancelPrefix)
			s.pay(CancelPrefix+short, check.AttemptSuccess, "")
			s.say(Callback, RefundYesPrefix+short)
		})
	}},
	scenario{"owner_cancels_cashiers_check", func(s *script) {
		s.activate(s.lang)
		code := s.cashierCode()
		var data string
		s.as(cashierUser, func() {
			s.say(Text, code)
			data = cancelData(s.t, s.say(Text, "40"))
		})
		s.say(Callback, data)
	}},
	scenario{"cashier_cannot_touch_owners_check", func(s *script) {
		s.activate(s.lang)
		data := cancelData(s.t, s.say(Text, "40"))
		code := s.cashierCode()
		s.as(cashierUser, func() {
			s.say(Text, code)
			s.say(Callback, data)
		})
	}},
	scenario{"removed_cashier", func(s *script) {
		s.activate(s.lang)
		code := s.cashierCode()
		s.as(cashierUser, func() { s.say(Text, code) })
		if _, err := s.bot.Merchants.Remove(context.Background(), s.m.ID, "test", cashierUser); err != nil {
			s.t.Fatal(err)
		}
		code2 := s.cashierCode()
		s.as(cashierUser, func() {
			s.say(Text, "50")
			s.say(Press, "list")
			s.say(Text, code2) // a new code binds them again
			s.say(Text, "50")
		})
	}},
}

// staffScenarios are «Касири», «Чеки магазину» and the report on demand
// (TestConversationGolden).
var staffScenarios = []scenario{
	scenario{"staff", func(s *script) {
		s.activate(s.lang)
		s.say(Press, "staff")
		code := strings.TrimSpace(strings.SplitN(strings.SplitN(s.say(Callback, StaffAddData)[0].Text, ":", 2)[1], "\n", 2)[0])
		s.as(cashierUser, func() {
			s.say(Text, code)
			s.say(Press, "staff") // owners only
			s.say(Text, "25")
		})
		s.say(Text, "10")
		rm := s.say(Press, "staff")[0].Inline[1].Data
		s.say(Callback, rm)
		s.say(Callback, strings.Replace(rm, StaffRemovePrefix, StaffRemoveYesPrefix, 1))
		s.as(cashierUser, func() { s.say(Text, "25") })
		s.say(Press, "staff")
	}},
	scenario{"shop_checks_and_report", func(s *script) {
		s.activate(s.lang)
		code := s.cashierCode()
		s.say(Press, "report") // nothing yet
		var a, b string
		s.as(cashierUser, func() {
			s.say(Text, code)
			a = cancelData(s.t, s.say(Text, "100"))
			b = cancelData(s.t, s.say(Text, "40"))
			s.pay(a, check.AttemptSuccess, "")
			s.pay(b, check.AttemptFailure, "Недостатньо коштів")
		})
		own := cancelData(s.t, s.say(Text, "60"))
		s.pay(own, check.AttemptSuccess, "")
		s.say(Callback, RefundYesPrefix+strings.TrimPrefix(own, CancelPrefix))
		s.say(Press, "shop")
		s.say(Press, "report")
		s.say(Callback, Yesterday.String())
		s.as(cashierUser, func() { s.say(Press, "shop") })
	}},
}

// TestActivationNamesRole: the activation reply and the welcome back name
// the role the code gave, not "cashier" for everyone.
func TestActivationNamesRole(t *testing.T) {
	for _, tc := range []struct {
		name, lang string
		role       merchant.Role
		want       string // in both replies
		not        string
	}{
		{"owner uk", "uk", merchant.Owner, "ви власник «Кавʼярня Ранок»", "касир"},
		{"cashier uk", "uk", merchant.Cashier, "ви касир «Кавʼярня Ранок»", "власник"},
		{"owner en", "en", merchant.Owner, "You are now an owner of “Кавʼярня Ранок”", "cashier"},
		{"cashier en", "en", merchant.Cashier, "You are now a cashier of “Кавʼярня Ранок”", "owner"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			code := w.code
			if tc.role == merchant.Cashier {
				var err error
				if code, _, err = w.bot.Merchants.IssueCode(context.Background(), w.m.ID, merchant.Cashier); err != nil {
					t.Fatal(err)
				}
			}
			activated := w.handle(w.event(Text, tc.lang, code))[0].Text
			back := w.handle(w.event(Start, tc.lang, ""))[0].Text
			has := func(s, sub string) bool { return strings.Contains(strings.ToLower(s), strings.ToLower(sub)) }
			if !has(activated, tc.want) || has(activated, tc.not) {
				t.Errorf("activation reply %q, want %q and no %q", activated, tc.want, tc.not)
			}
			wantBack := strings.Replace(tc.want, "now ", "", 1)
			if !has(back, wantBack) || has(back, tc.not) {
				t.Errorf("welcome back %q, want %q and no %q", back, wantBack, tc.not)
			}
		})
	}
}
