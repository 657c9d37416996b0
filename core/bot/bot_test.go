package bot

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/paylastic/edge/core/cas/castest"
	"github.com/paylastic/edge/core/kv"
)

var errSend = errors.New("429 Too Many Requests")

func kinds(rs []Reply) string {
	var k []string
	for _, r := range rs {
		k = append(k, r.Kind.String())
	}
	return strings.Join(k, ",")
}

// TestRedeliveredMessageCreatesNothing: the same message handled twice sends
// one picture and saves one check (invariant 4, docs/invariants.md).
func TestRedeliveredMessageCreatesNothing(t *testing.T) {
	w := newWorld(t)
	w.activate("uk")
	ev := w.event(Text, "uk", "12,50")
	before := w.kv.Snapshot()
	first := w.handle(ev)
	w.now = w.now.Add(30 * time.Second) // Telegram retries a little later
	second := w.handle(ev)
	if got := kinds(first); got != "picture" {
		t.Errorf("first delivery replies %q, want picture", got)
	}
	if len(second) != 0 {
		t.Errorf("redelivery replied %s; want nothing", render(second))
	}
	if got := w.kv.Snapshot().Sub(before).Puts; got != 1 {
		t.Errorf("KV writes = %d, want 1", got)
	}
}

// TestPictureSentBeforeSave: a failed send saves nothing and fails Handle;
// the redelivery then creates the check once.
func TestPictureSentBeforeSave(t *testing.T) {
	w := newWorld(t)
	w.activate("uk")
	ev := w.event(Text, "uk", "12,50")
	before := w.kv.Snapshot()
	r := &recorder{fail: map[ReplyKind]error{Picture: errSend}}
	err := w.bot.Handle(context.Background(), ev, r)
	if !errors.Is(err, errSend) || !IsSendError(err) {
		t.Fatalf("Handle with a failing send = %v; want the send error", err)
	}
	if got := w.kv.Snapshot().Sub(before).Puts; got != 0 {
		t.Fatalf("KV writes after a failed send = %d, want 0", got)
	}
	if got := kinds(w.handle(ev)); got != "picture" {
		t.Errorf("redelivery replies %q, want picture", got)
	}
	if got := kinds(w.handle(ev)); got != "" {
		t.Errorf("second redelivery replies %q, want nothing", got)
	}
	if got := w.kv.Snapshot().Sub(before).Puts; got != 1 {
		t.Errorf("KV writes = %d, want 1", got)
	}
}

func TestSaveFailureAfterSendFails(t *testing.T) {
	w := newWorld(t)
	w.activate("uk")
	w.kvDown.Writes.Store(true)
	var r recorder
	err := w.bot.Handle(context.Background(), w.event(Text, "uk", "12,50"), &r)
	if err == nil || IsSendError(err) || !errors.Is(err, errDown) {
		t.Fatalf("Handle with KV writes failing = %v; want the storage error", err)
	}
	if got := kinds(r.replies); got != "picture" {
		t.Errorf("replies %q, want the picture sent before the failed save", got)
	}
}

// TestCheckKVCost measures one check from the operator's amount to the QR.
func TestCheckKVCost(t *testing.T) {
	w := newWorld(t)
	w.activate("uk")
	before := w.kv.Snapshot()
	w.handle(w.event(Text, "uk", "12,50"))
	got := w.kv.Snapshot().Sub(before)
	want := kv.Counts{Gets: 1, Puts: 1} // "already created?"; the invoice (operator and merchant are in the consistent store)
	if got != want {
		t.Errorf("one check costs %+v, want %+v", got, want)
	}
}

// TestBadAmountsWriteNothing: every refused amount gets one reply and no KV write.
func TestBadAmountsWriteNothing(t *testing.T) {
	for _, a := range []string{"abc", "0", "-5", "12.345", "1e9", "", "  ", "100 000 000", "5000,01", "грн", "１２"} {
		t.Run(a, func(t *testing.T) {
			w := newWorld(t)
			w.activate("uk")
			before := w.kv.Snapshot()
			replies := w.handle(w.event(Text, "uk", a))
			if got := kinds(replies); got != "message" {
				t.Errorf("replies %q, want one message", got)
			}
			if got := w.kv.Snapshot().Sub(before).Puts; got != 0 {
				t.Errorf("KV writes = %d, want 0", got)
			}
		})
	}
}

func TestOperatorTenDigitsIsAnAmount(t *testing.T) {
	w := newWorld(t)
	w.activate("uk")
	before := w.kv.Snapshot()
	replies := w.handle(w.event(Text, "uk", "2222222222"))
	if len(replies) != 1 || !strings.Contains(replies[0].Text, "5\u202f000,00 грн") {
		t.Errorf("replies %s; want the limit refusal", render(replies))
	}
	if got := w.kv.Snapshot().Sub(before).Puts; got != 0 {
		t.Errorf("KV writes = %d, want 0 (no throttle counter)", got)
	}
}

// TestActivationRedelivered: the message that bound the user, seen again,
// answers success and counts no wrong code.
func TestActivationRedelivered(t *testing.T) {
	w := newWorld(t)
	ev := w.event(Text, "en", w.code)
	first := w.handle(ev)
	w.now = w.now.Add(20 * time.Second)
	before := w.kv.Snapshot()
	second := w.handle(ev)
	if len(second) != 1 || second[0].Text != first[0].Text || !strings.Contains(second[0].Text, "Done!") {
		t.Errorf("redelivery replies %s; want the first answer again:\n%s", render(second), render(first))
	}
	if got := w.kv.Snapshot().Sub(before).Puts; got != 0 {
		t.Errorf("KV writes on redelivery = %d, want 0", got)
	}
	// the used code sent again later is wrong
	w.now = w.now.Add(5 * time.Minute)
	later := w.handle(w.event(Text, "en", w.code))
	if len(later) != 1 || !strings.Contains(later[0].Text, "does not work") {
		t.Errorf("used code later replies %s; want the refusal", render(later))
	}
}

// TestThrottleWritesOnlyOnWrongCodes: guesses cost no KV write at all (the
// Free plan has 1000 a day), and one consistent-store write per wrong code.
func TestThrottleWritesOnlyOnWrongCodes(t *testing.T) {
	w := newWorld(t)
	kvBefore := w.kv.Snapshot()
	_, puts0 := w.db.Counts()
	w.handle(w.event(Text, "uk", "привіт"))
	w.handle(w.event(Start, "uk", ""))
	puts := func() int64 { _, p := w.db.Counts(); return p - puts0 }
	if got := puts(); got != 0 {
		t.Fatalf("store writes without a code = %d, want 0", got)
	}
	for i := 1; i <= MaxWrongCodes; i++ {
		w.handle(w.event(Text, "uk", "ABCD-EFGH-JK"))
		if got := puts(); got != int64(i) {
			t.Fatalf("after %d wrong codes store writes = %d, want %d", i, got, i)
		}
	}
	// throttled: even the right code is not read, nothing is written
	gets0, mid := w.db.Counts()
	replies := w.handle(w.event(Text, "uk", w.code))
	if len(replies) != 1 || !strings.Contains(replies[0].Text, "Забагато") {
		t.Errorf("throttled replies %s", render(replies))
	}
	if gets, p := w.db.Counts(); p != mid || gets-gets0 != 2 {
		t.Errorf("throttled attempt costs %d reads, %d writes; want 2 reads (operator, counter) and no write", gets-gets0, p-mid)
	}
	if got := w.kv.Snapshot().Sub(kvBefore); got.Puts != 0 {
		t.Errorf("KV writes for guesses = %d, want 0", got.Puts)
	}
	rec, err := w.db.Get(context.Background(), ThrottleKey("test", user))
	if err != nil || !strings.Contains(string(rec.Value), `"n":5`) {
		t.Errorf("throttle record = %s, %v", rec.Value, err)
	}
	w.now = w.now.Add(CodeWindow)
	if got := w.handle(w.event(Text, "uk", w.code)); len(got) != 1 || !strings.Contains(got[0].Text, "Готово") {
		t.Errorf("after the window the right code replies %s", render(got))
	}
}

// TestStorageDown: with KV unreadable nothing is answered but callbacks,
// and Handle fails so the messenger retries.
func TestStorageDown(t *testing.T) {
	for _, ev := range []Event{
		{Kind: Start}, {Kind: Text, Text: "12"}, {Kind: Text, Text: "ABCD-EFGH-JK"}, {Kind: Callback, Data: "cancel:x"},
	} {
		w := newWorld(t)
		w.activate("uk")
		w.kvDown.Reads.Store(true)
		w.db.FailGet.Store(true)
		ev.Messenger, ev.UserID, ev.ChatID, ev.Identity, ev.At = "test", user, user, "test:x", w.now
		var r recorder
		err := w.bot.Handle(context.Background(), ev, &r)
		if !errors.Is(err, castest.ErrDown) {
			t.Errorf("%+v: Handle = %v, want the storage error", ev, err)
		}
		want := ""
		if ev.Kind == Callback {
			want = "answer"
		}
		if got := kinds(r.replies); got != want {
			t.Errorf("%+v: replies %q, want %q", ev, got, want)
		}
	}
}

// TestCallbackAlwaysAnswered: every callback gets exactly one answer.
func TestCallbackAlwaysAnswered(t *testing.T) {
	w := newWorld(t)
	stranger := w.handle(w.event(Callback, "uk", "cancel:abc"))
	w.activate("uk")
	data := cancelData(t, w.handle(w.event(Text, "uk", "12")))
	for _, d := range []string{"", "x", "cancel:", "cancel:" + strings.Repeat("z", 60), data, data} {
		replies := w.handle(w.event(Callback, "uk", d))
		if n := strings.Count(kinds(replies), "answer"); n != 1 {
			t.Errorf("callback %q: %d answers in %s", d, n, render(replies))
		}
	}
	if kinds(stranger) != "answer" {
		t.Errorf("stranger's callback: %s", render(stranger))
	}
}

// TestCancelEditFailureStillCancels: the cancellation stands when telling
// the operator fails.
func TestCancelEditFailureStillCancels(t *testing.T) {
	w := newWorld(t)
	w.activate("uk")
	data := cancelData(t, w.handle(w.event(Text, "uk", "12")))
	r := &recorder{fail: map[ReplyKind]error{Edit: errSend}}
	if err := w.bot.Handle(context.Background(), w.event(Callback, "uk", data), r); err != nil {
		t.Fatalf("Handle = %v, want nil: the check is cancelled", err)
	}
	if kinds(r.replies) != "answer" {
		t.Errorf("replies %s", render(r.replies))
	}
	again := w.handle(w.event(Callback, "uk", data))
	if len(again) != 1 || !strings.Contains(again[0].Text, "скасовано") {
		t.Errorf("second press %s; want already cancelled", render(again))
	}
}

// FuzzText: whatever an operator or a stranger types, the bot answers with
// one message or one picture and never fails.
func FuzzText(f *testing.F) {
	for _, s := range []string{"12,50", "abc", "/start x", "/", "ABCD-EFGH-JK", "Мої чеки", "", "-", "1 2", "₴", "cancel:x"} {
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, text string, operator bool) {
		w := newWorld(t)
		if operator {
			w.activate("uk")
		}
		var r recorder
		if err := w.bot.Handle(context.Background(), w.event(Text, "en", text), &r); err != nil {
			t.Fatalf("Handle(%q) = %v", text, err)
		}
		if len(r.replies) != 1 || r.replies[0].Text == "" {
			t.Fatalf("Handle(%q) replied %s", text, render(r.replies))
		}
	})
}
