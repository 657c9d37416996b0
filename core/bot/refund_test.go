package bot

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/merchant"
)

// fakeRefunds plays the bank's refund: a paid check's successful attempt is
// reversed, which the checks service applies (and notifies) as a bank event.
type fakeRefunds struct{ w *world }

func (f fakeRefunds) Refund(ctx context.Context, op merchant.Operator, r check.Ref) (check.State, error) {
	svc := f.w.bot.Checks
	st, err := svc.State(ctx, r.ID)
	if err != nil {
		return st, err
	}
	if st.Status != check.Paid {
		return st, errs.E(errs.Conflict, "check is %s", st.Status)
	}
	for _, a := range st.Attempts {
		if a.Status == check.AttemptSuccess {
			return svc.Apply(ctx, r, check.Event{Provider: a.Provider, ProviderRef: a.ProviderRef, Status: check.AttemptReversed, Modified: f.w.now.Add(time.Second)})
		}
	}
	return st, errs.E(errs.Conflict, "no successful attempt")
}

// sayAt records an event whose message is older than the world's clock.
func (s *script) sayAt(age time.Duration, text string) {
	s.t.Helper()
	ev := s.event(Text, s.lang, text)
	ev.At = ev.At.Add(-age)
	fmt.Fprintf(&s.b, ">>> text %q, sent %s ago\n%s\n", text, age, render(s.handle(ev)))
}

func init() {
	extraScenarios = append(extraScenarios,
		scenario{"refund", func(s *script) {
			s.bot.Refunds = fakeRefunds{s.world}
			s.activate(s.lang)
			short := strings.TrimPrefix(cancelData(s.t, s.say(Text, "99")), CancelPrefix)
			s.say(Callback, RefundYesPrefix+short) // not paid yet
			s.pay(CancelPrefix+short, check.AttemptSuccess, "")
			s.say(Callback, RefundPrefix+short)
			s.say(Callback, RefundNoPrefix+short)
			s.say(Callback, RefundYesPrefix+short)
			s.say(Callback, RefundYesPrefix+short) // pressed again: refunded already
		}},
		scenario{"refund_unsupported", func(s *script) {
			s.activate(s.lang)
			short := strings.TrimPrefix(cancelData(s.t, s.say(Text, "99")), CancelPrefix)
			s.pay(CancelPrefix+short, check.AttemptSuccess, "")
			s.say(Callback, RefundYesPrefix+short)
		}},
		scenario{"stale_amount", func(s *script) {
			s.activate(s.lang)
			s.sayAt(11*time.Minute, "12,50")
			s.sayAt(9*time.Minute, "12,50")
		}},
	)
}
