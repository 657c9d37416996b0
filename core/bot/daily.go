package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/paylastic/edge/core/cas"
	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/merchant"
	"github.com/paylastic/edge/core/once"
	"github.com/paylastic/edge/core/text"
)

// ReportSettle is how long after its time the daily report waits before
// it is sent: a check's KV key may take up to a minute to be listed at
// another location, so by then every check made before the report's time
// is seen everywhere, and whichever location sends counts the same.
const ReportSettle = 2 * time.Minute

// ReportKeep is how long a sent report is remembered: past the end of the
// day it is for, so no later pass of that day sends it again.
const ReportKeep = 48 * time.Hour

// ReportKey is the once.Gate key of the report of a shop's day to one owner.
func ReportKey(merchantID string, day time.Time, owner merchant.Operator) string {
	return "rep:" + merchantID + ":" + day.Format("20060102") + ":" + owner.Messenger + ":" + owner.UserID
}

// DailyReports is the scheduled pass's report step: every active shop whose
// report time (Kyiv) has come today, plus ReportSettle, gets the day's
// report (checks made before that time) sent to each of its owners, once
// per owner and day however many passes overlap (once.Gate in the
// consistent store); a day without checks sends nothing, through
// b.Chats. It returns how many reports it sent and
// the first error (the others are tried all the same; a failed one is
// tried again by the next pass).
func (b *Bot) DailyReports(ctx context.Context, now time.Time) (int, error) {
	sent := 0
	var first error
	cursor := ""
	for {
		page, err := b.Merchants.List(ctx, "", cursor, 0)
		if err != nil {
			return sent, fmt.Errorf("daily reports: %w", err)
		}
		for _, m := range page.Items {
			n, err := b.dailyReport(ctx, m, now, b.Chats)
			sent += n
			if err != nil && first == nil {
				first = fmt.Errorf("daily report of %s: %w", m.ID, err)
			}
		}
		if page.Next == "" {
			return sent, first
		}
		cursor = page.Next
	}
}

func (b *Bot) dailyReport(ctx context.Context, m merchant.Merchant, now time.Time, chats map[string]Chats) (int, error) {
	day := kyivMidnight(now)
	clock, ok := reportClock(m)
	at := kyivDay(day, 0, clock)
	if !ok || !m.Active() || now.Before(at.Add(ReportSettle)) {
		return 0, nil
	}
	ops, err := b.Merchants.Operators(ctx, m.ID)
	if err != nil {
		return 0, err
	}
	g := once.Gate{Store: b.Store, Now: b.Now, Lease: UpdateLease, Keep: ReportKeep, Final: Permanent}
	type owner struct {
		op  merchant.Operator
		to  Chats
		key string
	}
	var owners []owner
	var keys []string
	for _, op := range ops {
		if to, ok := chats[op.Messenger]; ok && to != nil && op.IsOwner() {
			owners = append(owners, owner{op, to, ReportKey(m.ID, day, op)})
			keys = append(keys, owners[len(owners)-1].key)
		}
	}
	// Every pass until midnight comes here: the reports already sent are
	// skipped on one read of all the owners' marks (a failed read skips
	// nothing; each claim decides as before).
	var sentBefore map[string]bool
	if len(keys) > 0 && len(keys) <= cas.MaxGetMany {
		sentBefore, _ = g.Done(ctx, keys)
	}
	sent := 0
	var first error
	texts := map[string]string{} // by language, made on first need
	for _, o := range owners {
		if sentBefore[o.key] {
			continue
		}
		op, to := o.op, o.to
		var stepErr error
		_, err := g.Do(ctx, o.key, func(ctx context.Context) (err error) {
			defer func() { stepErr = err }()
			lang := text.Lang(op.Lang) // as their messenger last said; Ukrainian if never
			text, seen := texts[lang]
			if !seen {
				t, some, err := b.reportUntil(ctx, m, day, clock, lang)
				if err != nil {
					return err
				}
				if !some {
					t = ""
				}
				texts[lang], text = t, t
			}
			if text == "" {
				return nil // no checks that day: nothing to say
			}
			out, err := to.Chat(check.Chat{Messenger: op.Messenger, ChatID: op.UserID, UserID: op.UserID, Lang: lang})
			if err != nil {
				return err
			}
			if err := out.Send(ctx, Reply{Kind: Message, Text: text, Keyboard: OwnerKeyboard(lang)}); err != nil {
				return err
			}
			sent++
			return nil
		})
		if errors.Is(err, once.ErrLost) {
			// this pass outlasted its claim and another pass took the
			// report: that one records it; the owner may have it twice
			b.Log.Warn("daily report: claim lapsed while sending, another pass took it", "merchant", m.ID, "owner", op.UserID, "err", err)
			err = stepErr
		}
		// ErrBusy: an overlapping pass is sending it right now
		if err != nil && !errors.Is(err, once.ErrBusy) && first == nil {
			first = err
		}
	}
	return sent, first
}

// reportClock is the Kyiv time of day m's report is due; false when the
// owner turned it off.
func reportClock(m merchant.Merchant) (time.Duration, bool) {
	s := m.ReportAt
	if s == "" {
		s = merchant.DefaultReportAt
	}
	return ParseClock(s)
}

// ParseClock reads "HH:MM" (or "H:MM", "HH.MM") as a time of day.
func ParseClock(s string) (time.Duration, bool) {
	h, mm, ok := strings.Cut(strings.ReplaceAll(strings.TrimSpace(s), ".", ":"), ":")
	if !ok {
		return 0, false
	}
	hh, err1 := strconv.Atoi(h)
	mi, err2 := strconv.Atoi(mm)
	if err1 != nil || err2 != nil || hh < 0 || hh > 23 || mi < 0 || mi > 59 || len(mm) != 2 {
		return 0, false
	}
	return time.Duration(hh)*time.Hour + time.Duration(mi)*time.Minute, true
}

// reportTime sets the shop's report time ("/reporttime 20:30", or "off").
func (c *conv) reportTime(ctx context.Context, arg string) error {
	arg = strings.ToLower(strings.TrimSpace(arg))
	if _, ok := ParseClock(arg); !ok && arg != "off" {
		return c.say(ctx, c.t.reportTimeBad)
	}
	m, err := c.b.Merchants.Update(ctx, c.op.Merchant, func(m *merchant.Merchant) error {
		m.ReportAt = arg
		return nil
	})
	if err != nil {
		return c.storageOr(ctx, err, c.t.merchantGone)
	}
	if m.ReportAt == "off" {
		return c.say(ctx, c.t.reportTimeOff)
	}
	return c.say(ctx, sprintf(c.t.reportTimeSet, m.ReportAt))
}

// ownerNotices turns the owners' copies of every check's notices on
// ("/notices all") or off ("/notices mine").
func (c *conv) ownerNotices(ctx context.Context, arg string) error {
	var on bool
	switch strings.ToLower(strings.TrimSpace(arg)) {
	case "all":
		on = true
	case "mine", "own":
	default:
		return c.say(ctx, c.t.noticesBad)
	}
	if _, err := c.b.Merchants.Update(ctx, c.op.Merchant, func(m *merchant.Merchant) error {
		m.OwnerNotices = on
		return nil
	}); err != nil {
		return c.storageOr(ctx, err, c.t.merchantGone)
	}
	if on {
		return c.say(ctx, c.t.noticesAll)
	}
	return c.say(ctx, c.t.noticesMine)
}
