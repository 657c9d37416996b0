package bot

import (
	"context"
	"strings"
	"time"

	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/checks"
	"github.com/paylastic/edge/core/kyiv"
	"github.com/paylastic/edge/core/merchant"
	"github.com/paylastic/edge/core/money"
)

// ReportRead caps the checks read per operator and UTC day for a report.
const ReportRead = 200

// dayStats are a shop's numbers of one Kyiv day. Paid counts every check
// whose payment went through that day's checks, refunded or not; Refunded
// is the part of it returned.
type dayStats struct {
	paid, refunded    money.Amount
	npaid, nrefunded  int
	nfailed, nexpired int
	n                 int
	per               []cashierTotal // in the order of the staff, owners first
}

// report answers «Звіт за сьогодні» (days 0) and yesterday's (days -1).
func (c *conv) report(ctx context.Context, days int) error {
	m, err := c.b.Merchants.Get(ctx, c.op.Merchant)
	if err != nil {
		return c.storageOr(ctx, err, c.t.merchantGone)
	}
	day := kyivDay(c.b.Now(), days, 0)
	text, _, err := c.b.ReportText(ctx, m, day, c.ev.Lang)
	if err != nil {
		return c.fail(ctx, err)
	}
	r := Reply{Kind: Message, Text: text, Keyboard: c.keyboard()}
	if days == 0 {
		r.Inline = []Inline{{Text: c.t.buttons[Yesterday], Data: Yesterday.String()}}
	}
	return c.send(ctx, r)
}

// ReportText is the report of merchant m for the Kyiv day that starts at
// day (a Kyiv midnight), compared with the same weekday a week before, in
// lang. some is false when the day had no checks (the scheduled report is
// then not sent). It only reads: per operator of the shop, the lists and
// records of two UTC days for each of the two days compared.
func (b *Bot) ReportText(ctx context.Context, m merchant.Merchant, day time.Time, lang string) (text string, some bool, err error) {
	return b.reportUntil(ctx, m, day, 24*time.Hour, lang)
}

// reportUntil is ReportText counting the checks created before clock (a
// Kyiv time of day) on day and on the day compared.
func (b *Bot) reportUntil(ctx context.Context, m merchant.Merchant, day time.Time, clock time.Duration, lang string) (text string, some bool, err error) {
	t := catalogFor(lang)
	now := b.Now()
	st, err := b.dayStats(ctx, m.ID, day, kyivDay(day, 0, clock), now)
	if err != nil {
		return "", false, err
	}
	date := kyiv.In(day).Format(t.dateLayout)
	if st.n == 0 {
		return sprintf(t.reportEmpty, t.quote(m.Name), date), false, nil
	}
	// the same weekday a week before, to the same Kyiv time: across a
	// clock change that is 167 or 169 hours before
	week := kyivDay(day, -7, 0)
	base, err := b.dayStats(ctx, m.ID, week, kyivDay(day, -7, clock), now)
	if err != nil {
		return "", false, err
	}
	var s strings.Builder
	s.WriteString(sprintf(t.reportTitle, t.quote(m.Name), date))
	s.WriteString("\n" + sprintf(t.reportPaid, st.npaid, t.amount(st.paid)))
	s.WriteString("\n" + sprintf(t.reportRefunded, st.nrefunded, t.amount(st.refunded)))
	s.WriteString("\n" + sprintf(t.reportFailed, st.nfailed))
	s.WriteString("\n" + sprintf(t.reportExpired, st.nexpired))
	if len(st.per) > 0 {
		s.WriteString("\n\n" + t.reportCashiers)
		for _, ct := range st.per {
			s.WriteString("\n" + sprintf(t.reportCashier, ct.name, ct.npaid, t.amount(ct.paid)))
		}
	}
	wdate := kyiv.In(week).Format(t.dateLayout)
	s.WriteString("\n\n")
	if base.paid == 0 {
		s.WriteString(sprintf(t.reportNoBase, wdate))
	} else {
		pct := int((int64(st.paid) - int64(base.paid)) * 100 / int64(base.paid))
		s.WriteString(sprintf(t.reportCompare, wdate, base.npaid, t.amount(base.paid), pct))
	}
	return s.String(), true, nil
}

// dayStats counts the checks created in the Kyiv day starting at day and
// before until, as they stand at now.
func (b *Bot) dayStats(ctx context.Context, merchantID string, day, until, now time.Time) (dayStats, error) {
	end := kyivDay(day, 1, 0)
	if until.Before(end) {
		end = until
	}
	sums, err := b.Checks.ShopRecent(ctx, merchantID, []time.Time{day.UTC(), end.Add(-time.Second).UTC()}, ReportRead)
	if err != nil {
		return dayStats{}, err
	}
	var st dayStats
	idx := map[string]int{}
	for _, s := range sums {
		if s.Check.Created.Before(day) || !s.Check.Created.Before(end) {
			continue
		}
		st.n++
		key := s.By.Messenger + ":" + s.By.UserID
		i, ok := idx[key]
		if !ok && !s.By.IsOwner() {
			i = len(st.per)
			idx[key] = i
			st.per = append(st.per, cashierTotal{name: operatorName(s.By)})
			ok = true
		}
		switch shownStatus(s.Summary, now) {
		case check.Refunded:
			st.nrefunded++
			st.refunded += s.Check.Amount
			fallthrough
		case check.Paid:
			st.npaid++
			st.paid += s.Check.Amount
			if ok {
				st.per[i].npaid++
				st.per[i].paid += s.Check.Amount
			}
			continue
		case check.Expired:
			st.nexpired++
		}
		if failedOnce(s.Summary) {
			st.nfailed++
		}
	}
	return st, nil
}

// failedOnce reports whether a payment of the check failed at the bank.
func failedOnce(s checks.Summary) bool {
	for _, a := range s.State.Attempts {
		if a.Status == check.AttemptFailure {
			return true
		}
	}
	return false
}
