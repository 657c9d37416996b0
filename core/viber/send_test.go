package viber

import (
	"context"
	"strings"
	"testing"

	"github.com/paylastic/edge/core/bot"
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
			s := &chat{c: r.hook.Client, to: userID, lang: "uk"}
			for _, rep := range tt.replies {
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
