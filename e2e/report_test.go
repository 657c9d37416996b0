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

// TestDailyReportTelegram: with KV lagging a minute, two overlapping cron
// passes at the report's time send the owner one report with the day's
// numbers; later passes that day send nothing more, and so does the next
// day, which has no checks.
func TestDailyReportTelegram(t *testing.T) {
	s := newShop(t, hosttest.Options{Lag: time.Minute})
	needScheduledWiring(t)
	s.addCashier(cashierChat, "Петро")
	link := func(chat int64) string {
		return regexp.MustCompile(regexp.QuoteMeta(s.env.URL) + `/p/[A-Za-z0-9_-]+`).FindString(s.last(chat).Plain)
	}
	s.sayAs(cashierChat, "Петро", "100")
	s.payLink(link(cashierChat))
	s.sayAs(cashierChat, "Петро", "40") // left to expire
	own, _ := s.newCheck("60")
	s.payLink(own)

	reports := func() []string {
		var out []string
		for _, m := range s.tg.Messages(buyerChat) {
			if strings.HasPrefix(m.Plain, "📊") {
				out = append(out, m.Plain)
			}
		}
		return out
	}
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
		if got := reports(); len(got) != st.want {
			t.Fatalf("%s: %d reports %q, want %d", st.name, len(got), got, st.want)
		}
	}
	got := reports()[0]
	for _, want := range []string{"Оплачено: 2 на 160,00 грн", "Повернено: 0", "Прострочено: 1", "Петро: 1 на 100,00 грн", "Тиждень тому (19.11.2026) оплат не було."} {
		if !strings.Contains(got, want) {
			t.Errorf("the report %q lacks %q", got, want)
		}
	}
}
