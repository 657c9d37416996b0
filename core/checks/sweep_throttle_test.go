package checks

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/kv"
	"github.com/paylastic/edge/core/money"
	"github.com/paylastic/edge/internal/testsupport"
)

// floodErr is a messenger's flood control answer (Telegram's 429 with
// retry_after), as the messenger packages report it.
type floodErr struct{ after time.Duration }

func (e floodErr) Error() string          { return fmt.Sprintf("429 retry after %s", e.after) }
func (e floodErr) Backoff() time.Duration { return e.after }

// floodNotifier answers the first `flood` notices to Telegram with flood
// control and records every call it gets, by messenger and notice.
type floodNotifier struct {
	mu    sync.Mutex
	flood int
	calls []string
	sent  []string
}

func (n *floodNotifier) Notify(_ context.Context, chk check.Check, nt check.Notice) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	call := chk.Chat.Messenger + ":" + chk.ID[:4] + ":" + nt.Key()
	n.calls = append(n.calls, call)
	if chk.Chat.Messenger == "telegram" && n.flood > 0 {
		n.flood--
		return fmt.Errorf("telegram notify: %w", floodErr{30 * time.Second})
	}
	n.sent = append(n.sent, call)
	return nil
}

func (n *floodNotifier) counts() (calls, sent int) {
	n.mu.Lock()
	defer n.mu.Unlock()
	return len(n.calls), len(n.sent)
}

// TestSweepStopsAtFloodControl: once Telegram answers a notice with flood
// control, the pass sends it nothing more: the other notices, new ones
// (expiry) and retried ones alike, stay pending for the next pass, which
// delivers each once. Another messenger's notices are not held.
func TestSweepStopsAtFloodControl(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	n := &floodNotifier{flood: 1}
	f.svc.Notifier = n
	for i := range 3 {
		f.create(t, "10", fmt.Sprintf("telegram:42:%d", 400+i))
	}
	viber := f.createOn(t, "viber", "viber:u1:1")
	f.now = f.now.Add(31 * time.Minute) // all four expire in this pass
	steps := []struct {
		name        string
		wantCalls   int // notifier calls so far
		wantSent    int
		wantHeld    int
		wantPending int // notices pending after the pass, over all checks
	}{
		{"flood control: the rest of Telegram held", 2, 1, 2, 3},
		{"next pass delivers the held ones", 5, 4, 0, 0},
		{"nothing left", 5, 4, 0, 0},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			rep, err := f.svc.Sweep(ctx, f.now)
			if err != nil {
				t.Fatal(err)
			}
			calls, sent := n.counts()
			if calls != s.wantCalls || sent != s.wantSent || rep.Held != s.wantHeld {
				t.Errorf("calls %d, sent %d, held %d; want %d, %d, %d (%v)", calls, sent, rep.Held, s.wantCalls, s.wantSent, s.wantHeld, n.calls)
			}
			if got := f.pending(t); got != s.wantPending {
				t.Errorf("pending notices = %d, want %d", got, s.wantPending)
			}
			f.now = f.now.Add(SweepEvery)
		})
	}
	if want := "viber:" + viber.Check.ID[:4] + ":expired"; n.sent[0] != want {
		t.Errorf("the notice sent in the flooded pass was %s, want %s: Telegram's flood control does not hold Viber", n.sent[0], want)
	}
	seen := map[string]bool{}
	for _, c := range n.sent {
		if seen[c] {
			t.Errorf("notice %s delivered more than once: %v", c, n.sent)
		}
		seen[c] = true
	}
}

// TestThrottleNeedsBackoff: only errors that ask to slow down hold the
// pass; any other failure (a 5xx, the network) lets the next notice try.
func TestThrottleNeedsBackoff(t *testing.T) {
	tests := []struct {
		name     string
		err      error
		wantHeld bool
	}{
		{"flood control", floodErr{time.Second}, true},
		{"wrapped flood control", fmt.Errorf("notify: %w", floodErr{time.Second}), true},
		{"no wait asked", floodErr{0}, false},
		{"server error", errors.New("502 bad gateway"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			th := &throttle{next: errNotifier{tt.err}, log: testsupport.Discard()}
			chk := check.Check{ID: "check", Chat: check.Chat{Messenger: "telegram"}}
			th.Notify(context.Background(), chk, check.Notice{Kind: check.NoticePaid})
			err := th.Notify(context.Background(), chk, check.Notice{Kind: check.NoticeExpired})
			if got := errors.Is(err, errHeld); got != tt.wantHeld {
				t.Errorf("second notice held = %v (%v), want %v", got, err, tt.wantHeld)
			}
		})
	}
}

type errNotifier struct{ err error }

func (n errNotifier) Notify(context.Context, check.Check, check.Notice) error { return n.err }

// TestSweepLogsDroppedNotices: a notice that still cannot be delivered when
// its check leaves the sweep window is logged as dropped.
func TestSweepLogsDroppedNotices(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	logs := logTo(f.svc)
	p := f.create(t, "10", "telegram:42:500")
	f.notes.fail = true
	end := p.Check.Expires.Add(SweepWindow)
	for _, at := range []time.Time{p.Check.Expires, end.Add(-SweepEvery), end.Add(-time.Minute), end.Add(time.Minute)} {
		f.now = at
		if _, err := f.svc.Sweep(ctx, f.now); err != nil {
			t.Fatal(err)
		}
	}
	if got := strings.Count(logs.String(), "notice dropped"); got != 1 {
		t.Errorf("dropped notice logged %d times, want once:\n%s", got, logs)
	}
	if !strings.Contains(logs.String(), "notice=expired") {
		t.Errorf("the log does not name the notice:\n%s", logs)
	}
}

// createOn creates a check whose chat is on messenger.
func (f *fixture) createOn(t *testing.T, messenger, identity string) Prepared {
	t.Helper()
	p, err := f.svc.Prepare(context.Background(), NewCheck{Operator: f.op, Chat: check.Chat{Messenger: messenger, ChatID: "u1", UserID: "u1", Lang: "uk"}, Amount: 10 * money.Hryvnia, Identity: identity, At: f.now})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Save(context.Background(), p.Check); err != nil {
		t.Fatal(err)
	}
	return p
}

// pending counts the notices pending over every check of the fixture's day.
func (f *fixture) pending(t *testing.T) int {
	t.Helper()
	lists, err := kv.ListMany(context.Background(), f.svc.KV, []string{checkPrefix})
	if err != nil {
		t.Fatal(err)
	}
	keys := lists[0]
	n := 0
	for _, k := range keys {
		pk, _ := parseCheckKey(k)
		st, err := f.svc.State(context.Background(), check.Ref{ID: pk.ID, Created: pk.Day})
		if err != nil {
			t.Fatal(err)
		}
		n += len(st.Pending)
	}
	return n
}

// TestSweepLastLookIsNotHeld: on a check's last look no later pass would
// send a held notice, so flood control on one check does not hold the
// notices of checks seen for the last time: each is still tried.
func TestSweepLastLookIsNotHeld(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	n := &floodNotifier{flood: 1}
	f.svc.Notifier = n
	p := f.create(t, "10", "telegram:42:600")
	f.create(t, "10", "telegram:42:601")
	f.now = p.Check.Expires // both expire; the first notice floods, the second is held
	if rep, err := f.svc.Sweep(ctx, f.now); err != nil || rep.Held != 1 {
		t.Fatalf("expiry pass: held %d, %v; want 1", rep.Held, err)
	}
	n.flood = 1
	f.now = p.Check.Expires.Add(SweepWindow - time.Minute) // the last look of both
	rep, err := f.svc.Sweep(ctx, f.now)
	if err != nil {
		t.Fatal(err)
	}
	calls, sent := n.counts()
	if calls != 3 || sent != 1 || rep.Held != 0 {
		t.Errorf("last look: calls %d, sent %d, held %d; want 3, 1, 0 (%v)", calls, sent, rep.Held, n.calls)
	}
}
