package bot

import (
	"context"
	"strings"
	"time"

	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/checks"
	"github.com/paylastic/edge/core/kyiv"
	"github.com/paylastic/edge/core/money"
)

// Limits of «Мої чеки»: the checks read (two KV reads each) and the lines shown.
const (
	ListRead  = 100
	ListShown = 15
)

// list shows the operator's checks of today, Kyiv time, newest first, with
// the day's paid total. Kyiv's day spans two UTC days, and checks are kept
// by UTC day, so both are read and the list is cut to Kyiv's today.
func (c *conv) list(ctx context.Context) error {
	now := c.b.Now().UTC()
	sums, err := c.b.Checks.Recent(ctx, *c.op, []time.Time{now, now.AddDate(0, 0, -1)}, ListRead)
	if err != nil {
		return c.fail(ctx, err)
	}
	return c.say(ctx, c.t.checkList(sums, now))
}

// checkList renders the summaries of today's checks (Kyiv time) as of now.
func (t *catalog) checkList(sums []checks.Summary, now time.Time) string {
	today := kyiv.In(now)
	y, m, d := today.Date()
	var lines []string
	var paid money.Amount
	var npaid, n int
	for _, s := range sums {
		if cy, cm, cd := kyiv.In(s.Check.Created).Date(); cy != y || cm != m || cd != d {
			continue
		}
		n++
		st := shownStatus(s, now)
		if st == check.Paid {
			paid += s.Check.Amount
			npaid++
		}
		if len(lines) < ListShown {
			word := t.statusWord(st)
			if st == check.Paid && paidInTest(s.State) {
				word += " " + t.testMark
			}
			lines = append(lines, sprintf(t.listLine, t.clock(s.Check.Created), t.amount(s.Check.Amount), check.ShortID(s.Check.ID), word))
		}
	}
	date := today.Format(t.dateLayout)
	if n == 0 {
		return sprintf(t.listEmpty, date)
	}
	var b strings.Builder
	b.WriteString(sprintf(t.listHeader, date))
	for _, l := range lines {
		b.WriteString("\n" + l)
	}
	if n > len(lines) {
		b.WriteString("\n" + sprintf(t.listMore, n-len(lines)))
	}
	b.WriteString("\n\n" + sprintf(t.listTotal, t.amount(paid), npaid, n))
	if len(sums) >= ListRead {
		b.WriteString("\n" + sprintf(t.listCapped, ListRead))
	}
	return b.String()
}

// shownStatus is the status an operator should see: an open check past its
// expiry is expired even before the scheduled pass records it.
func shownStatus(s checks.Summary, now time.Time) check.Status {
	if s.State.Status == check.Open && s.Check.Expired(now) {
		return check.Expired
	}
	return s.State.Status
}

// paidInTest reports whether the payment that paid the check was a test
// payment (check.Attempt.Test).
func paidInTest(st check.State) bool {
	for _, a := range st.Attempts {
		if a.Status == check.AttemptSuccess {
			return a.Test
		}
	}
	return false
}
