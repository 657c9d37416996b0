package e2e

import (
	"context"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paylastic/edge/wasm/hosttest"
)

// reportShop is a shop on one messenger as the report test drives it: an
// owner who has added a cashier, both making checks.
type reportShop struct {
	env          *hosttest.Env
	cashierCheck func(amount string) (link string)
	ownerCheck   func(amount string) (link string)
	pay          func(link string)
	reports      func() []string // the owner's messages that are reports
}

// reportOnTelegram: the owner is activated in Ukrainian (the shop's
// helpers speak it); with another lang, their app is switched to it after
// their last check, and the bot hears it in their next message.
func reportOnTelegram(t *testing.T, lang string) reportShop {
	s := newShop(t, hosttest.Options{Lag: time.Minute})
	s.addCashier(cashierChat, "Петро")
	link := func(chat int64) string {
		return regexp.MustCompile(regexp.QuoteMeta(s.env.URL) + `/p/[A-Za-z0-9_-]+`).FindString(s.last(chat).Plain)
	}
	return reportShop{
		env:          s.env,
		cashierCheck: func(amount string) string { s.sayAs(cashierChat, "Петро", amount); return link(cashierChat) },
		ownerCheck: func(amount string) string {
			l, _ := s.newCheck(amount)
			if lang != "uk" {
				s.sayIn(lang, "/help")
			}
			return l
		},
		pay: s.payLink,
		reports: func() []string {
			var out []string
			for _, m := range s.tg.Messages(buyerChat) {
				if strings.HasPrefix(m.Plain, "📊") {
					out = append(out, m.Plain)
				}
			}
			return out
		},
	}
}

// reportOnViber: the owner activates in lang and adds a cashier (whose
// Viber name is Оля too) from «Касири».
func reportOnViber(t *testing.T, lang string) reportShop {
	e := startViber(t, hosttest.Options{Lag: time.Minute})
	owner := e.user("b3duZXJvd25lcm93bmVyMQ==", lang)
	cashier := e.user("Y2FzaGllcmNhc2hpZXIyMg==", "uk")
	owner.say(e.newMerchant("Кавʼярня Ранок"))
	add := vbKey(t, vbOne(t, "«Касири»", owner.say("staff")), "staff:add")
	code := regexp.MustCompile(`[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{2}`).FindString(vbOne(t, "add a cashier", owner.say(add)).Text)
	if m := vbOne(t, "the cashier's code", cashier.say(code)); !strings.Contains(m.Text, "касир") {
		t.Fatalf("the cashier's code %q answered %q", code, m.Text)
	}
	check := func(u *vbUser) func(string) string {
		return func(amount string) string { _, _, link := u.check(amount); return link }
	}
	return reportShop{
		env:          e.Env,
		cashierCheck: check(cashier),
		ownerCheck:   check(owner),
		pay: func(link string) {
			b := e.newBuyer()
			wantSays(t, b.Submit(b.Submit(b.Get(link), nil), sandboxCard(sbCardPaid)), "Оплату прийнято")
		},
		reports: func() []string {
			var out []string
			for _, m := range e.vb.Messages(owner.id) {
				if strings.HasPrefix(m.Text, "📊") {
					out = append(out, m.Text)
				}
			}
			return out
		},
	}
}

// TestDailyReport, over Telegram and Viber: with KV lagging a minute, two
// overlapping cron passes at the report's time send the owner one report
// with the day's numbers, in the owner's language; later passes that day
// send nothing more, and so does the next day, which has no checks.
func TestDailyReport(t *testing.T) {
	needScheduledWiring(t)
	for _, tc := range []struct {
		name string
		shop func(*testing.T, string) reportShop
		lang string
		want []string
	}{
		{"Telegram", reportOnTelegram, "uk", []string{"за 26.11.2026", "Оплачено: 2 на 160,00 грн", "Повернено: 0", "Прострочено: 1", "Петро: 1 на 100,00 грн", "Тиждень тому (19.11.2026) оплат не було."}},
		{"Telegram, owner switched to English", reportOnTelegram, "en", []string{"📊 Report of", "for Nov 26, 2026", "Paid: 2 for UAH 160.00", "Refunded: 0", "Expired: 1", "Петро: 1 for UAH 100.00", "A week ago (Nov 19, 2026) nothing was paid."}},
		{"Viber, owner in English", reportOnViber, "en", []string{"📊 Report of “Кавʼярня Ранок” for Nov 26, 2026", "Paid: 2 for UAH 160.00", "Refunded: 0", "Expired: 1", "Оля: 1 for UAH 100.00", "A week ago (Nov 19, 2026) nothing was paid."}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.shop(t, tc.lang)
			s.pay(s.cashierCheck("100"))
			s.cashierCheck("40") // left to expire
			s.pay(s.ownerCheck("60"))

			pass := func(n int) {
				t.Helper()
				var wg sync.WaitGroup
				for range n {
					wg.Add(1)
					go func() {
						defer wg.Done()
						if err := s.env.Scheduled(context.Background()); err != nil {
							t.Errorf("scheduled pass: %v", err)
						}
					}()
				}
				wg.Wait()
			}
			// the environment's clock starts at 12:00 Kyiv; the report is due at 21:00 (19:00 UTC)
			start := s.env.Clock.Now()
			at := time.Date(start.Year(), start.Month(), start.Day(), 19, 0, 0, 0, time.UTC)
			steps := []struct {
				name string
				at   time.Time
				want int // reports so far
			}{
				{"an hour before", at.Add(-time.Hour), 0},
				{"at the time, before KV settles", at.Add(time.Minute), 0},
				{"settled, two passes at once", at.Add(2 * time.Minute), 1},
				{"a pass later that evening", at.Add(90 * time.Minute), 1},
				{"the next evening, no checks", at.AddDate(0, 0, 1).Add(3 * time.Minute), 1},
			}
			for _, st := range steps {
				s.env.Clock.Set(st.at)
				pass(2)
				if got := s.reports(); len(got) != st.want {
					t.Fatalf("%s: %d reports %q, want %d", st.name, len(got), got, st.want)
				}
			}
			got := s.reports()[0]
			for _, want := range tc.want {
				if !strings.Contains(got, want) {
					t.Errorf("the report %q lacks %q", got, want)
				}
			}
		})
	}
}
