package bot

import (
	"fmt"
	"strings"
	"time"

	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/errs"
)

// sayAt records an event whose message is older than the world's clock.
func (s *script) sayAt(age time.Duration, text string) {
	s.t.Helper()
	ev := s.event(Text, s.lang, text)
	ev.At = ev.At.Add(-age)
	fmt.Fprintf(&s.b, ">>> text %q, sent %s ago\n%s\n", text, age, render(s.handle(ev)))
}

// refundScenarios are the conversation's refund paths (TestConversationGolden).
var refundScenarios = []scenario{
	scenario{"refund", func(s *script) {
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
		s.bank.refunds = false
		s.activate(s.lang)
		short := s.paidCheck()
		s.say(Callback, RefundYesPrefix+short)
	}},
	scenario{"refund_refused", func(s *script) {
		s.bank.refuses = true
		s.activate(s.lang)
		short := s.paidCheck()
		s.say(Callback, RefundYesPrefix+short)
	}},
	scenario{"no_bank_yet", func(s *script) {
		s.activate(s.lang)
		s.bank.notReady = errs.E(errs.Refused, "the merchant has no bank yet")
		s.say(Text, "12,50")
	}},
	scenario{"stale_amount", func(s *script) {
		s.activate(s.lang)
		s.sayAt(11*time.Minute, "12,50")
		s.sayAt(9*time.Minute, "12,50")
	}},
}
