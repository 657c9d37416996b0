package bot

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/paylastic/edge/core/cas/castest"
	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/internal/testsupport"
)

// chatsRec is a Chats whose every chat records into one list.
type chatsRec struct {
	mu   sync.Mutex
	sent []string // "chat id: text"
}

func (c *chatsRec) Chat(ch check.Chat) (Sender, error) { return &chatRec{c, ch.ChatID}, nil }

type chatRec struct {
	c  *chatsRec
	id string
}

func (r *chatRec) PicturesByURL() bool { return false }
func (r *chatRec) Send(_ context.Context, rep Reply) error {
	r.c.mu.Lock()
	defer r.c.mu.Unlock()
	r.c.sent = append(r.c.sent, r.id+": "+rep.Text)
	return nil
}

func TestDailyReports(t *testing.T) {
	s := &script{world: newWorld(t), lang: "uk"}
	rec := &chatsRec{}
	s.bot.Chats = map[string]Chats{"test": rec}
	s.activate("uk")
	code := s.cashierCode()
	s.as(cashierUser, func() {
		s.say(Text, code)
		s.pay(cancelData(t, s.say(Text, "100")), check.AttemptSuccess, "")
		s.say(Text, "40") // expires unpaid
	})
	// testsupport.T0 is 12:00 Kyiv; the report is due at 21:00 Kyiv (19:00 UTC)
	kyiv21 := time.Date(s.now.Year(), s.now.Month(), s.now.Day(), 19, 0, 0, 0, time.UTC)
	passes := []struct {
		name string
		at   time.Time
		n    int // passes at once
		want int
	}{
		{"before the time", kyiv21.Add(-time.Hour), 1, 0},
		{"at the time, KV may still lag", kyiv21.Add(time.Minute), 1, 0},
		{"settled: two overlapping passes", kyiv21.Add(ReportSettle), 2, 1},
		{"a later pass the same day", kyiv21.Add(time.Hour), 2, 0},
		{"the next day: no checks", kyiv21.AddDate(0, 0, 1).Add(ReportSettle), 1, 0},
	}
	kvBefore := s.kv.Snapshot()
	for _, p := range passes {
		s.now = p.at
		before := len(rec.sent)
		var wg sync.WaitGroup
		errc := make(chan error, p.n)
		for range p.n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := s.bot.DailyReports(context.Background(), p.at)
				errc <- err
			}()
		}
		wg.Wait()
		close(errc)
		for err := range errc {
			if err != nil {
				t.Errorf("%s: DailyReports: %v", p.name, err)
			}
		}
		if got := len(rec.sent) - before; got != p.want {
			t.Errorf("%s: %d reports sent, want %d: %q", p.name, got, p.want, rec.sent[before:])
		}
	}
	// the report reads what the checks' keys list already: no KV writes
	cost := s.kv.Snapshot().Sub(kvBefore)
	t.Logf("KV cost of the five steps' passes: %+v", cost)
	if cost.Puts != 0 || cost.Deletes != 0 {
		t.Errorf("the report passes wrote KV: %+v", cost)
	}
	if len(rec.sent) != 1 {
		t.Fatalf("sent %q", rec.sent)
	}
	got := rec.sent[0]
	for _, want := range []string{user + ": 📊 Звіт «Кавʼярня Ранок» за 26.11.2026", "Оплачено: 1 на 100,00 грн", "Прострочено: 1", "Петро: 1 на 100,00 грн", "Тиждень тому (19.11.2026) оплат не було."} {
		if !strings.Contains(got, want) {
			t.Errorf("report %q lacks %q", got, want)
		}
	}
}

// TestSentReportCostsOneRead: every pass from the report time to midnight
// looks at the day's report (every 5 minutes, three hours): once it is sent,
// a pass reads the owners' marks at once and writes nothing, where it used
// to try a claim and read the mark back for each owner.
func TestSentReportCostsOneRead(t *testing.T) {
	s := &script{world: newWorld(t), lang: "uk"}
	rec := &chatsRec{}
	s.bot.Chats = map[string]Chats{"test": rec}
	s.activate("uk")
	s.say(Text, "100")
	kyiv21 := time.Date(s.now.Year(), s.now.Month(), s.now.Day(), 19, 0, 0, 0, time.UTC)
	s.now = kyiv21.Add(ReportSettle)
	if _, err := s.bot.DailyReports(context.Background(), s.now); err != nil || len(rec.sent) != 1 {
		t.Fatalf("DailyReports: %v; sent %q", err, rec.sent)
	}
	calls := &castest.Calls{Store: s.bot.Store}
	s.bot.Store = calls
	s.now = s.now.Add(5 * time.Minute)
	if _, err := s.bot.DailyReports(context.Background(), s.now); err != nil || len(rec.sent) != 1 {
		t.Fatalf("a later pass: %v; sent %q", err, rec.sent)
	}
	if r, w := calls.Gets.Load()+calls.GetManys.Load(), calls.Puts.Load(); r != 1 || w != 0 {
		t.Errorf("a pass after the report was sent: %d reads and %d writes of its marks, want 1 and 0", r, w)
	}
}

func TestParseClock(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"21:00", 21 * time.Hour, true},
		{"9:30", 9*time.Hour + 30*time.Minute, true},
		{"20.15", 20*time.Hour + 15*time.Minute, true},
		{"24:00", 0, false},
		{"21:5", 0, false},
		{"off", 0, false},
	} {
		got, ok := ParseClock(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("ParseClock(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestOwnerNoticeCopies(t *testing.T) {
	for _, tc := range []struct {
		name    string
		command string
		want    []string // chat ids told, in order
	}{
		{"own checks only (default)", "", []string{cashierUser}},
		{"every check", "/notices all", []string{cashierUser, user}},
		{"turned off again", "/notices mine", []string{cashierUser}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := &script{world: newWorld(t), lang: "uk"}
			s.activate("uk")
			if tc.command == "/notices mine" {
				s.say(Text, "/notices all")
			}
			if tc.command != "" {
				s.say(Text, tc.command)
			}
			code := s.cashierCode()
			var data string
			s.as(cashierUser, func() {
				s.say(Text, code)
				data = cancelData(t, s.say(Text, "100"))
			})
			s.who = cashierUser
			chk, err := s.bot.Checks.Lookup(context.Background(), s.operator(), strings.TrimPrefix(data, CancelPrefix))
			s.who = ""
			if err != nil {
				t.Fatal(err)
			}
			rec := &chatsRec{}
			n := &Notifier{Messengers: map[string]Chats{"test": rec}, Log: s.bot.Log, Merchants: &s.bot.Merchants}
			if err := n.Notify(context.Background(), chk, check.Notice{Kind: check.NoticePaid, At: s.now}); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, m := range rec.sent {
				id, _, _ := strings.Cut(m, ": ")
				got = append(got, id)
			}
			if strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Errorf("told %q, want %q", rec.sent, tc.want)
			}
			if len(rec.sent) == 2 && !strings.Contains(rec.sent[1], "Касир: Петро") {
				t.Errorf("the owner's copy %q does not name the cashier", rec.sent[1])
			}
		})
	}
}

// TestKyivDay: the report's days and times are Kyiv wall clocks, on the
// days of 23 and 25 hours (the last Sundays of March and October) too.
func TestKyivDay(t *testing.T) {
	for _, tc := range []struct {
		name  string
		t     string // any instant of the day (UTC)
		days  int
		clock time.Duration
		want  string // UTC
	}{
		{"winter midnight", "2026-01-15T10:00:00Z", 0, 0, "2026-01-14T22:00:00Z"},
		{"summer 21:00", "2026-07-01T10:00:00Z", 0, 21 * time.Hour, "2026-07-01T18:00:00Z"},
		{"late in a Kyiv day, early in UTC's next", "2026-07-01T22:30:00Z", 0, 0, "2026-07-01T21:00:00Z"},
		{"23-hour day: midnight, asked after the change", "2026-03-29T12:00:00Z", 0, 0, "2026-03-28T22:00:00Z"},
		{"23-hour day: 21:00", "2026-03-29T12:00:00Z", 0, 21 * time.Hour, "2026-03-29T18:00:00Z"},
		{"23-hour day: its end, 23 hours on", "2026-03-29T12:00:00Z", 0, 24 * time.Hour, "2026-03-29T21:00:00Z"},
		{"23-hour day: 03:30 is skipped, an hour later", "2026-03-29T12:00:00Z", 0, 3*time.Hour + 30*time.Minute, "2026-03-29T01:30:00Z"},
		{"23-hour day: the same weekday before, in winter", "2026-03-29T12:00:00Z", -7, 21 * time.Hour, "2026-03-22T19:00:00Z"},
		{"the day after: yesterday is the 23-hour day", "2026-03-30T12:00:00Z", -1, 0, "2026-03-28T22:00:00Z"},
		{"25-hour day: midnight, asked after the change", "2026-10-25T12:00:00Z", 0, 0, "2026-10-24T21:00:00Z"},
		{"25-hour day: 21:00", "2026-10-25T12:00:00Z", 0, 21 * time.Hour, "2026-10-25T19:00:00Z"},
		{"25-hour day: its end, 25 hours on", "2026-10-25T12:00:00Z", 0, 24 * time.Hour, "2026-10-25T22:00:00Z"},
		{"25-hour day: 03:30 is shown twice, the first", "2026-10-25T12:00:00Z", 0, 3*time.Hour + 30*time.Minute, "2026-10-25T00:30:00Z"},
		{"25-hour day: the same weekday before, in summer", "2026-10-25T12:00:00Z", -7, 21 * time.Hour, "2026-10-18T18:00:00Z"},
		{"a week after the autumn change", "2026-11-01T12:00:00Z", -7, 0, "2026-10-24T21:00:00Z"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			at, _ := time.Parse(time.RFC3339, tc.t)
			got := kyivDay(at, tc.days, tc.clock)
			if got.UTC().Format(time.RFC3339) != tc.want {
				t.Errorf("kyivDay(%s, %d, %v) = %s, want %s", tc.t, tc.days, tc.clock, got.UTC().Format(time.RFC3339), tc.want)
			}
			if tc.clock == 0 && got.Format("15:04") != "00:00" {
				t.Errorf("kyivDay(%s, %d, 0) = %s: not a Kyiv midnight", tc.t, tc.days, got)
			}
		})
	}
}

// TestDailyReportAcrossDST: on the days the clocks change, the report comes
// at 21:00 Kyiv, names its day, counts the checks of that Kyiv day only
// (from its own midnight), and compares with the same weekday a week
// before up to 21:00 there, in the other time.
func TestDailyReportAcrossDST(t *testing.T) {
	type paid struct {
		at     string // UTC
		amount string
	}
	for _, tc := range []struct {
		name   string
		checks []paid
		due    string // 21:00 Kyiv on the day, UTC
		want   []string
	}{
		{"spring, 23 hours", []paid{
			{"2026-03-22T18:30:00Z", "50"},  // 20:30 EET a week before: compared
			{"2026-03-22T19:30:00Z", "9"},   // 21:30 EET: after the time compared
			{"2026-03-28T21:30:00Z", "7"},   // 23:30 EET the night before: not this day
			{"2026-03-29T09:00:00Z", "100"}, // noon EEST
		}, "2026-03-29T18:00:00Z", []string{"за 29.03.2026", "Оплачено: 1 на 100,00 грн", "Тиждень тому (22.03.2026): 1 на 50,00 грн, +100%"}},
		{"autumn, 25 hours", []paid{
			{"2026-10-18T17:30:00Z", "50"},  // 20:30 EEST a week before: compared
			{"2026-10-18T18:30:00Z", "9"},   // 21:30 EEST: after the time compared
			{"2026-10-24T20:30:00Z", "7"},   // 23:30 EEST the night before: not this day
			{"2026-10-24T21:30:00Z", "100"}, // 00:30 EEST on the day
			{"2026-10-25T18:30:00Z", "20"},  // 20:30 EET
		}, "2026-10-25T19:00:00Z", []string{"за 25.10.2026", "Оплачено: 2 на 120,00 грн", "Тиждень тому (18.10.2026): 1 на 50,00 грн, +140%"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := &script{world: newWorld(t), lang: "uk"}
			rec := &chatsRec{}
			s.bot.Chats = map[string]Chats{"test": rec}
			s.activate("uk")
			for _, c := range tc.checks {
				s.now, _ = time.Parse(time.RFC3339, c.at)
				s.pay(cancelData(t, s.say(Text, c.amount)), check.AttemptSuccess, "")
			}
			due, _ := time.Parse(time.RFC3339, tc.due)
			for _, p := range []struct {
				at   time.Time
				want int
			}{
				{due.Add(-time.Minute), 0},
				{due.Add(ReportSettle), 1},
			} {
				s.now = p.at
				if _, err := s.bot.DailyReports(context.Background(), p.at); err != nil {
					t.Fatal(err)
				}
				if len(rec.sent) != p.want {
					t.Fatalf("at %s UTC: %d reports %q, want %d", p.at.Format("15:04"), len(rec.sent), rec.sent, p.want)
				}
			}
			for _, want := range tc.want {
				if !strings.Contains(rec.sent[0], want) {
					t.Errorf("report %q lacks %q", rec.sent[0], want)
				}
			}
		})
	}
}

// TestOperatorLanguage: the scheduled report is in the owner's language as
// their messenger last reported it: stored on activation and when it
// changes, with one write then and none for messages in the same language;
// an operator whose language was never reported other than Ukrainian (as
// those bound before it was kept) gets Ukrainian.
func TestOperatorLanguage(t *testing.T) {
	for _, tc := range []struct {
		name     string
		activate string
		then     []string // the languages of later messages ("": none reported)
		writes   []int64  // consistent-store writes of each
		want     string   // the report's first words
	}{
		{"English from the activation", "en", []string{"en", "en-GB"}, []int64{0, 0}, "📊 Report of"},
		{"Ukrainian, then English", "uk", []string{"uk", "en", "en"}, []int64{0, 1, 0}, "📊 Report of"},
		{"English, then Ukrainian", "en-US", []string{"uk", "uk"}, []int64{1, 0}, "📊 Звіт"},
		{"never other than Ukrainian", "uk", []string{"", "ru"}, []int64{0, 0}, "📊 Звіт"},
		{"no language reported keeps English", "en", []string{""}, []int64{0}, "📊 Report of"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := &script{world: newWorld(t), lang: "uk"}
			rec := &chatsRec{}
			s.bot.Chats = map[string]Chats{"test": rec}
			s.handle(s.event(Text, tc.activate, s.code))
			s.pay(cancelData(t, s.handle(s.event(Text, tc.activate, "100"))), check.AttemptSuccess, "")
			for i, lang := range tc.then {
				_, before := s.db.Counts()
				s.handle(s.event(Text, lang, "/help"))
				if _, after := s.db.Counts(); after-before != tc.writes[i] {
					t.Errorf("a message in %q: %d writes, want %d", lang, after-before, tc.writes[i])
				}
			}
			at := time.Date(s.now.Year(), s.now.Month(), s.now.Day(), 19, 0, 0, 0, time.UTC).Add(ReportSettle)
			if _, err := s.bot.DailyReports(context.Background(), at); err != nil || len(rec.sent) != 1 {
				t.Fatalf("DailyReports: %v; sent %q", err, rec.sent)
			}
			if got := strings.TrimPrefix(rec.sent[0], user+": "); !strings.HasPrefix(got, tc.want) {
				t.Errorf("report %q, want it to begin %q", got, tc.want)
			}
		})
	}
}

// stallingChats is a Chats whose first send runs stall first: a pass that
// is held up while it sends the report.
type stallingChats struct {
	chatsRec
	stalled atomic.Bool
	stall   func()
}

func (c *stallingChats) Chat(ch check.Chat) (Sender, error) {
	return stallingChat{&chatRec{&c.chatsRec, ch.ChatID}, c}, nil
}

type stallingChat struct {
	*chatRec
	c *stallingChats
}

func (s stallingChat) Send(ctx context.Context, rep Reply) error {
	if s.c.stalled.CompareAndSwap(false, true) {
		s.c.stall()
	}
	return s.chatRec.Send(ctx, rep)
}

// TestReportPassOutlastingItsClaim: a pass held up while it sends the
// report past the claim's lease loses the claim to the next pass, which
// sends the report too (the one duplicate a lease allows). The held-up pass
// did its work: it warns and does not fail, where it answered the
// scheduled pass with a version conflict (seen in the soak, TestOrderings
// seed 113, a pass overlapping one after a clock jump).
func TestReportPassOutlastingItsClaim(t *testing.T) {
	s := &script{world: newWorld(t), lang: "uk"}
	rec := &stallingChats{}
	s.bot.Chats = map[string]Chats{"test": rec}
	logs := &testsupport.LogBuf{}
	s.bot.Log = logs.Logger()
	s.activate("uk")
	s.say(Text, "100")
	kyiv21 := time.Date(s.now.Year(), s.now.Month(), s.now.Day(), 19, 0, 0, 0, time.UTC)
	s.now = kyiv21.Add(ReportSettle)
	var nested error
	rec.stall = func() {
		s.now = s.now.Add(UpdateLease + time.Second)
		_, nested = s.bot.DailyReports(context.Background(), s.now)
	}
	if _, err := s.bot.DailyReports(context.Background(), s.now); err != nil {
		t.Errorf("the held-up pass: %v, want no error", err)
	}
	if nested != nil {
		t.Errorf("the pass that took over: %v", nested)
	}
	if len(rec.sent) != 2 {
		t.Errorf("reports sent %d, want 2 (the held-up pass's and the one that took over): %q", len(rec.sent), rec.sent)
	}
	if logs := logs.String(); !strings.Contains(logs, "level=WARN") || !strings.Contains(logs, "claim") {
		t.Errorf("no warning of the lost claim:\n%s", logs)
	}
}
