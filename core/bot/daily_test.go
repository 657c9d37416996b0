package bot

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paylastic/edge/core/check"
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
