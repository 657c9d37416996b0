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

// shopList is the owner's «Чеки магазину»: today's checks of every
// operator (Kyiv time), newest first, then the paid total per cashier and
// for the shop.
func (c *conv) shopList(ctx context.Context) error {
	now := c.b.Now().UTC()
	sums, err := c.b.Checks.ShopRecent(ctx, c.op.Merchant, kyivDayUTC(now), ListRead)
	if err != nil {
		return c.fail(ctx, err)
	}
	return c.say(ctx, c.t.shopList(sums, now))
}

// cashierTotal is one operator's line of a list or a report.
type cashierTotal struct {
	name     string
	paid     money.Amount
	npaid, n int
}

func (t *catalog) shopList(sums []checks.ShopSummary, now time.Time) string {
	date := kyiv.In(now).Format(t.dateLayout)
	var lines []string
	var order []string
	per := map[string]*cashierTotal{}
	var all cashierTotal
	for _, s := range sums {
		if !sameKyivDay(s.Check.Created, now) {
			continue
		}
		name, key := operatorName(s.By), s.By.Messenger+":"+s.By.UserID
		ct := per[key]
		if ct == nil {
			ct = &cashierTotal{name: name}
			per[key] = ct
			order = append(order, key)
		}
		st := shownStatus(s.Summary, now)
		ct.n++
		all.n++
		if st == check.Paid {
			ct.paid += s.Check.Amount
			ct.npaid++
			all.paid += s.Check.Amount
			all.npaid++
		}
		if len(lines) < ListShown {
			lines = append(lines, sprintf(t.shopLine, t.clock(s.Check.Created), t.amount(s.Check.Amount), check.ShortID(s.Check.ID), t.statusWord(st), name))
		}
	}
	if all.n == 0 {
		return sprintf(t.shopEmpty, date)
	}
	var b strings.Builder
	b.WriteString(sprintf(t.shopHeader, date))
	for _, l := range lines {
		b.WriteString("\n" + l)
	}
	if all.n > len(lines) {
		b.WriteString("\n" + sprintf(t.listMore, all.n-len(lines)))
	}
	b.WriteString("\n")
	for _, key := range order {
		ct := per[key]
		b.WriteString("\n" + sprintf(t.shopCashier, ct.name, t.amount(ct.paid), ct.npaid, ct.n))
	}
	b.WriteString("\n" + sprintf(t.shopTotal, t.amount(all.paid), all.npaid, all.n))
	return b.String()
}

// kyivDayUTC are the UTC days a Kyiv day of t touches: its own and the day
// before (Kyiv is ahead of UTC, so its midnight is the previous UTC day).
func kyivDayUTC(t time.Time) []time.Time {
	t = t.UTC()
	return []time.Time{t, t.AddDate(0, 0, -1)}
}

func sameKyivDay(a, b time.Time) bool {
	ay, am, ad := kyiv.In(a).Date()
	by, bm, bd := kyiv.In(b).Date()
	return ay == by && am == bm && ad == bd
}
