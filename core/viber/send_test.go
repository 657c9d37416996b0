package viber

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/paylastic/edge/core/bot"
	"github.com/paylastic/edge/core/check"
	vbfake "github.com/paylastic/edge/fakes/viber"
)

func TestKeyboard(t *testing.T) {
	kb := keyboard(bot.MainKeyboard("en"), []bot.Inline{{Text: "Cancel", Data: "cancel:abc"}})
	var got []string
	for _, b := range kb.Buttons {
		got = append(got, b.ActionBody+"/"+b.Text+"/"+string(rune('0'+b.Columns)))
		if b.ActionType != "reply" || !b.Silent || b.Rows != 1 {
			t.Errorf("button %+v", b)
		}
	}
	want := "new/New check/6 list/My checks/3 help/Help/3 cancel:abc/Cancel/6"
	if strings.Join(got, " ") != want || kb.Type != "keyboard" {
		t.Errorf("keyboard %q, want %q", strings.Join(got, " "), want)
	}
}

func TestMessages(t *testing.T) {
	long := strings.Repeat("я", 8000)
	if m := TextMessage("u", long, nil); len([]rune(m.Text)) != maxText || !strings.HasSuffix(m.Text, "…") {
		t.Errorf("text of %d characters", len([]rune(m.Text)))
	}
	if m := PictureMessage("u", "https://x/p/r/qr.png", long, nil); len([]rune(m.Text)) != MaxPictureText {
		t.Errorf("picture text of %d characters", len([]rune(m.Text)))
	}
	c := &Client{SenderName: strings.Repeat("n", 40)}
	if n := len([]rune(c.senderName())); n > maxSenderName {
		t.Errorf("sender name of %d characters", n)
	}
}

// TestChatReplies: how each kind of bot reply goes out on Viber.
func TestChatReplies(t *testing.T) {
	pic := &bot.Pic{URL: "https://pay.test/p/r/qr.png", Link: "https://pay.test/p/r"}
	short := "Чек на 1,00 грн"
	long := short + "\n" + strings.Repeat("деталі ", 30) + "\nhttps://pay.test/p/r"
	tests := []struct {
		name    string
		replies []bot.Reply
		want    string // type:text of each message sent, "|" between
	}{
		{"message", []bot.Reply{{Kind: bot.Message, Text: "hi"}}, "text:hi"},
		{"short picture", []bot.Reply{{Kind: bot.Picture, Text: short, Picture: pic}}, "picture:" + short},
		{"long picture", []bot.Reply{{Kind: bot.Picture, Text: long, Picture: pic}}, "picture:" + short + "|text:" + long},
		{"edit then answer", []bot.Reply{{Kind: bot.Edit, Text: "cancelled"}, {Kind: bot.Answer, Text: "ok"}}, "text:cancelled"},
		{"answer alone", []bot.Reply{{Kind: bot.Answer, Text: "stale"}}, "text:stale"},
		{"empty answer", []bot.Reply{{Kind: bot.Answer}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t)
			s := &chat{c: r.hook.Client, to: userID}
			for _, rep := range tt.replies {
				rep.Keyboard = bot.MainKeyboard("uk") // the bot sets one on every reply to an operator
				if err := s.Send(context.Background(), rep); err != nil {
					t.Fatal(err)
				}
			}
			var got []string
			for _, m := range r.sent() {
				got = append(got, m.Type+":"+m.Text)
				if len(m.Keyboard) == 0 {
					t.Errorf("message without a keyboard: %+v", m)
				}
			}
			if strings.Join(got, "|") != tt.want {
				t.Errorf("sent %q, want %q", got, tt.want)
			}
		})
	}
	t.Run("picture without URL", func(t *testing.T) {
		s := &chat{c: &Client{}, to: userID}
		if err := s.Send(context.Background(), bot.Reply{Kind: bot.Picture, Picture: &bot.Pic{PNG: []byte{1}}}); err == nil {
			t.Error("a picture without URL was accepted")
		}
	})
}

// TestStrangerNoKeyboard: a user who is not an operator gets no operator
// keyboard with the "send the code first" and wrong-code replies; once the
// code is accepted, every reply carries it.
func TestStrangerNoKeyboard(t *testing.T) {
	r := newRig(t)
	for _, text := range []string{"привіт", "new", "12,50", "ABCD-EFGH-JK", bot.CancelPrefix + "aaaa"} {
		r.send(r.message(text, "uk"), 200)
		if m := r.last(); len(m.Keyboard) != 0 {
			t.Errorf("stranger's %q: reply %q has keyboard %s, want none", text, m.Text, m.Keyboard)
		}
	}
	r.activate("uk")
	if m := r.last(); buttons(t, m.Keyboard)["new"] == "" {
		t.Errorf("activation reply %q has keyboard %s, want the main one", m.Text, m.Keyboard)
	}
	r.send(r.message("help", "uk"), 200)
	if m := r.last(); buttons(t, m.Keyboard)["new"] == "" {
		t.Errorf("operator's reply %q has keyboard %s, want the main one", m.Text, m.Keyboard)
	}
}

// TestOwnerKeyboardEverywhere: Viber shows the keyboard of the last
// message only, so every message to an owner must carry the owner's
// keyboard, and every message to a cashier the cashier's: replies that
// set none (the staff code, a cancel's edit), the notices of their checks
// and the daily report.
func TestOwnerKeyboardEverywhere(t *testing.T) {
	const cashierID = "Y2FzaGllcmNhc2hpZXIyMg=="
	r := newRig(t)
	r.activate("uk") // the merchant's first code: an owner
	say := func(user, text string) []vbfake.Message {
		t.Helper()
		before := len(r.fake.Messages(user))
		r.send(vbfake.MessageCallback(user, "Оля", "uk", text, r.nextToken(), r.now, ""), 200)
		return r.fake.Messages(user)[before:]
	}
	// paid pays the check whose cancel key is under m, and returns what
	// user was sent meanwhile
	paid := func(user string, m vbfake.Message) []vbfake.Message {
		t.Helper()
		chk, err := r.svc.Lookup(context.Background(), r.operator(), strings.TrimPrefix(cancelBody(t, m), bot.CancelPrefix))
		if err != nil {
			t.Fatal(err)
		}
		before := len(r.fake.Messages(user))
		if _, err := r.svc.Apply(context.Background(), chk.Ref(), check.Event{Provider: "sandbox", ProviderRef: "p" + chk.ID, Status: check.AttemptSuccess, Modified: r.now}); err != nil {
			t.Fatal(err)
		}
		return r.fake.Messages(user)[before:]
	}
	last := func(msgs []vbfake.Message) vbfake.Message { return msgs[len(msgs)-1] }
	var code string
	var ownerCheck, cashierCheck []vbfake.Message
	steps := []struct {
		name string
		to   string // the user whose messages are looked at
		do   func() []vbfake.Message
		want string // an ActionBody every message's keyboard has
		not  string // and one it has not
	}{
		{"the staff menu", userID, func() []vbfake.Message { return say(userID, "staff") }, "report", "list"},
		{"a cashier's code", userID, func() []vbfake.Message {
			msgs := say(userID, bot.StaffAddData)
			code = regexp.MustCompile(`[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{2}`).FindString(last(msgs).Text)
			return msgs
		}, "report", "list"},
		{"the cashier activates", cashierID, func() []vbfake.Message { return say(cashierID, code) }, "list", "report"},
		{"the owner's check", userID, func() []vbfake.Message { ownerCheck = say(userID, "12"); return ownerCheck }, "report", "list"},
		{"the cashier's check", cashierID, func() []vbfake.Message { cashierCheck = say(cashierID, "30"); return cashierCheck }, "list", "report"},
		{"the owner's paid notice", userID, func() []vbfake.Message { return paid(userID, last(ownerCheck)) }, "report", "list"},
		{"the cashier's paid notice", cashierID, func() []vbfake.Message { return paid(cashierID, last(cashierCheck)) }, "list", "report"},
		{"a cancel's edit", userID, func() []vbfake.Message { return say(userID, cancelBody(t, last(say(userID, "13")))) }, "report", "list"},
		{"the daily report", userID, func() []vbfake.Message {
			before := len(r.sent())
			r.hook.Bot.Chats = map[string]bot.Chats{Messenger: r.hook.Client}
			if _, err := r.hook.Bot.DailyReports(context.Background(), r.now.Add(10*time.Hour)); err != nil {
				t.Fatal(err)
			}
			return r.sent()[before:]
		}, "report", "list"},
	}
	for _, st := range steps {
		msgs := st.do()
		if len(msgs) == 0 {
			t.Fatalf("%s: nothing sent", st.name)
		}
		for _, m := range msgs {
			keys := buttons(t, m.Keyboard)
			if _, ok := keys[st.want]; !ok {
				t.Errorf("%s: %q has keys %v, want %q among them", st.name, m.Text, keys, st.want)
			}
			if _, ok := keys[st.not]; ok {
				t.Errorf("%s: %q has keys %v, want no %q", st.name, m.Text, keys, st.not)
			}
		}
	}
}
