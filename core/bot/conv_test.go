package bot

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/merchant"
	"github.com/paylastic/edge/internal/testsupport"
)

// script is a conversation driven by a scenario, recorded as a transcript.
type script struct {
	*world
	lang string
	b    strings.Builder
}

// say sends one event and records it with the replies.
func (s *script) say(kind Kind, text string) []Reply {
	s.t.Helper()
	replies := s.handle(s.event(kind, s.lang, text))
	label := map[Kind]string{Start: "start", Text: "text", Press: "press", Callback: "callback"}[kind]
	fmt.Fprintf(&s.b, ">>> %s %q\n%s\n", label, text, render(replies))
	return replies
}

// cancelData is the cancel button's data of the picture in replies.
func cancelData(t *testing.T, replies []Reply) string {
	t.Helper()
	for _, r := range replies {
		if r.Kind != Picture {
			continue
		}
		for _, in := range r.Inline {
			if strings.HasPrefix(in.Data, CancelPrefix) {
				return in.Data
			}
		}
	}
	t.Fatalf("no picture with a cancel button in %s", render(replies))
	return ""
}

// TestConversationGolden walks every path of the conversation in both
// languages; the transcripts hold every sentence the bot says.
type scenario struct {
	name string
	run  func(s *script)
}

func TestConversationGolden(t *testing.T) {
	scenarios := []scenario{
		{"stranger", func(s *script) {
			s.say(Start, "")
			s.say(Text, "привіт")
			s.say(Text, "12,50")
			s.say(Text, "/help")
			s.say(Text, "Створити чек")
			s.say(Callback, "cancel:aaaa")
		}},
		{"activation", func(s *script) {
			s.say(Text, "abcd-efgh-jk")
			s.say(Text, strings.ToLower(s.code))
			s.say(Start, "")
			s.say(Text, "/start")
		}},
		{"wrong_codes", func(s *script) {
			for i := 0; i < MaxWrongCodes+1; i++ {
				s.say(Text, "ABCD-EFGH-JK")
			}
			s.now = s.now.Add(CodeWindow)
			s.say(Text, "ABCD-EFGH-JK")
		}},
		{"deep_link", func(s *script) {
			s.say(Start, s.code)
		}},
		{"check", func(s *script) {
			s.activate(s.lang)
			s.say(Text, "Створити чек")
			s.say(Text, "New check")
			s.say(Text, "12,50")
			s.say(Text, "1 200 грн")
		}},
		{"bad_amounts", func(s *script) {
			s.activate(s.lang)
			for _, a := range []string{"abc", "0", "-5", "12.345", "1e9", "", "100 000 000", "5000,01", "грн", "12,50,1"} {
				s.say(Text, a)
			}
		}},
		{"buttons_and_commands", func(s *script) {
			s.activate(s.lang)
			s.say(Text, "Допомога")
			s.say(Text, "Help")
			s.say(Press, "")
			s.say(Text, "/new")
			s.say(Text, "/nope")
			s.say(Text, "дякую")
		}},
		{"cancel", func(s *script) {
			s.activate(s.lang)
			data := cancelData(s.t, s.say(Text, "99"))
			s.say(Callback, data)
			s.say(Callback, data)
			s.say(Callback, "cancel:"+strings.Repeat("a", 39))
			s.say(Callback, "cancel:garbage")
			s.say(Callback, "paid:42")
		}},
		{"cancel_paid", func(s *script) {
			s.activate(s.lang)
			data := cancelData(s.t, s.say(Text, "99"))
			s.pay(data, check.AttemptSuccess, "")
			s.say(Callback, data)
		}},
		{"list", func(s *script) {
			s.activate(s.lang)
			s.say(Text, "Мої чеки")
			// yesterday 23:30 Kyiv: not today
			s.now = time.Date(2026, 11, 25, 21, 30, 0, 0, time.UTC)
			s.handle(s.event(Text, s.lang, "1"))
			// 00:30 Kyiv: today, on yesterday's UTC day
			s.now = time.Date(2026, 11, 25, 22, 30, 0, 0, time.UTC)
			s.pay(cancelData(s.t, s.handle(s.event(Text, s.lang, "10"))), check.AttemptSuccess, "")
			s.now = testsupport.T0.Add(-time.Hour)
			s.handle(s.event(Text, s.lang, "20,50"))
			s.now = testsupport.T0.Add(-20 * time.Minute)
			data := cancelData(s.t, s.handle(s.event(Text, s.lang, "30")))
			s.handle(s.event(Callback, s.lang, data))
			s.now = testsupport.T0.Add(-10 * time.Minute)
			s.pay(cancelData(s.t, s.handle(s.event(Text, s.lang, "1 000,25"))), check.AttemptSuccess, "")
			s.now = testsupport.T0
			s.handle(s.event(Text, s.lang, "5"))
			s.say(Text, "My checks")
		}},
		{"list_long", func(s *script) {
			s.activate(s.lang)
			for i := 1; i <= ListShown+3; i++ {
				s.now = testsupport.T0.Add(time.Duration(i) * time.Minute)
				s.handle(s.event(Text, s.lang, fmt.Sprint(i)))
			}
			s.say(Press, "list")
		}},
	}
	for _, sc := range append(append(append(scenarios, refundScenarios...), roleScenarios...), staffScenarios...) {
		for _, lang := range []string{"uk", "en"} {
			t.Run(sc.name+"/"+lang, func(t *testing.T) {
				s := &script{world: newWorld(t), lang: lang}
				sc.run(s)
				testsupport.Golden(t, sc.name+"."+lang, s.b.String())
			})
		}
	}
}

// pay applies a bank event to the check whose cancel button data is given.
// paidCheck makes a check of 99 and pays it, and returns its short id.
func (s *script) paidCheck() string {
	s.t.Helper()
	short := strings.TrimPrefix(cancelData(s.t, s.say(Text, "99")), CancelPrefix)
	s.pay(CancelPrefix+short, check.AttemptSuccess, "")
	return short
}

func (s *script) pay(data string, st check.AttemptStatus, reason string) {
	s.t.Helper()
	chk, err := s.bot.Checks.Lookup(context.Background(), s.operator(), strings.TrimPrefix(data, CancelPrefix))
	if err != nil {
		s.t.Fatal(err)
	}
	ev := check.Event{Provider: "sandbox", ProviderRef: "p-" + chk.ID[:6], Status: st, Reason: reason, Modified: s.now}
	if _, err := s.bot.Checks.Apply(context.Background(), chk.Ref(), ev); err != nil {
		s.t.Fatal(err)
	}
}

func (w *world) operator() merchant.Operator {
	w.t.Helper()
	u := user
	if w.who != "" {
		u = w.who
	}
	op, err := w.bot.Merchants.Operator(context.Background(), "test", u)
	if err != nil {
		w.t.Fatal(err)
	}
	return op
}
