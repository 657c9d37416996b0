package check

import (
	"strings"
	"testing"
	"time"

	"github.com/paylastic/edge/core/ids"
	"github.com/paylastic/edge/internal/testsupport"
)

func TestStatusCanMoveTo(t *testing.T) {
	all := []Status{Open, Paid, Expired, Cancelled, Refunded}
	allowed := map[[2]Status]bool{
		{Open, Paid}: true, {Open, Expired}: true, {Open, Cancelled}: true,
		{Paid, Refunded}: true, {Expired, Paid}: true, {Cancelled, Paid}: true,
	}
	for _, from := range all {
		for _, to := range all {
			if got, want := from.CanMoveTo(to), allowed[[2]Status{from, to}]; got != want {
				t.Errorf("%s → %s allowed = %v, want %v", from, to, got, want)
			}
		}
	}
	if Status("bogus").CanMoveTo(Paid) || Open.CanMoveTo("bogus") {
		t.Error("unknown statuses must never move")
	}
}

// untimed is an event from a bank that gives no time of its own.
func untimed(ref string, st AttemptStatus) Event {
	return Event{Provider: "sandbox", ProviderRef: ref, Status: st, Reason: "declined"}
}

func TestApplySequences(t *testing.T) {
	ev := func(ref string, st AttemptStatus, min int) Event {
		return Event{Provider: "sandbox", ProviderRef: ref, Status: st, Reason: "declined", Modified: testsupport.T0.Add(time.Duration(min) * time.Minute)}
	}
	tests := []struct {
		name        string
		events      []Event
		wantStatus  Status
		wantNotices []string // keys, in order, over the whole sequence
	}{
		{"success", []Event{ev("a", AttemptSuccess, 1)}, Paid, []string{"paid"}},
		{"success thrice", []Event{ev("a", AttemptSuccess, 1), ev("a", AttemptSuccess, 1), ev("a", AttemptSuccess, 1)}, Paid, []string{"paid"}},
		{"failure then other card succeeds", []Event{ev("a", AttemptFailure, 1), ev("b", AttemptSuccess, 2)}, Paid, []string{"failed:a", "paid"}},
		{"failure repeated", []Event{ev("a", AttemptFailure, 1), ev("a", AttemptFailure, 1)}, Open, []string{"failed:a"}},
		{"old failure after paid", []Event{ev("b", AttemptSuccess, 2), ev("a", AttemptFailure, 1)}, Paid, []string{"paid"}},
		{"pending after success", []Event{ev("a", AttemptSuccess, 2), ev("a", AttemptPending, 1)}, Paid, []string{"paid"}},
		{"stale failure for same attempt", []Event{ev("a", AttemptSuccess, 2), ev("a", AttemptFailure, 1)}, Paid, []string{"paid"}},
		{"reversal", []Event{ev("a", AttemptSuccess, 1), ev("a", AttemptReversed, 5)}, Refunded, []string{"paid", "refunded"}},
		{"reversal before success is ignored", []Event{ev("a", AttemptReversed, 5)}, Open, nil},
		{"paid twice", []Event{ev("a", AttemptSuccess, 1), ev("b", AttemptSuccess, 2), ev("b", AttemptSuccess, 2)}, Paid, []string{"paid", "paid_twice:b"}},
		{"one of two payments returned", []Event{ev("a", AttemptSuccess, 1), ev("b", AttemptSuccess, 2), ev("b", AttemptReversed, 3)}, Paid, []string{"paid", "paid_twice:b"}},
		{"both payments returned", []Event{ev("a", AttemptSuccess, 1), ev("b", AttemptSuccess, 2), ev("b", AttemptReversed, 3), ev("a", AttemptReversed, 4)}, Refunded, []string{"paid", "paid_twice:b", "refunded"}},
		// the modifiedDate guard alone decides these: by rank, failure → success is a move forward
		{"older success after newer failure", []Event{ev("a", AttemptFailure, 2), ev("a", AttemptSuccess, 1)}, Open, []string{"failed:a"}},
		// at a tie the bank's order of statuses decides: a decline comes before the retry that succeeds
		{"success stamped like the failure", []Event{ev("a", AttemptFailure, 1), ev("a", AttemptSuccess, 1)}, Paid, []string{"failed:a", "paid"}},
		{"failure stamped like the success, after it", []Event{ev("a", AttemptSuccess, 1), ev("a", AttemptFailure, 1)}, Paid, []string{"paid"}},
		{"the same failure twice", []Event{ev("a", AttemptFailure, 1), ev("a", AttemptFailure, 1)}, Open, []string{"failed:a"}},
		{"newer success after failure", []Event{ev("a", AttemptFailure, 1), ev("a", AttemptSuccess, 2)}, Paid, []string{"failed:a", "paid"}},
		{"reversal stamped like the payment", []Event{ev("a", AttemptSuccess, 1), ev("a", AttemptReversed, 1)}, Refunded, []string{"paid", "refunded"}},
		{"reversal older than the payment", []Event{ev("a", AttemptSuccess, 5), ev("a", AttemptReversed, 4)}, Paid, []string{"paid"}},
		{"no times: ordered by rank", []Event{untimed("a", AttemptFailure), untimed("a", AttemptSuccess)}, Paid, []string{"failed:a", "paid"}},
		{"untimed success after a timed failure", []Event{ev("a", AttemptFailure, 1), untimed("a", AttemptSuccess)}, Paid, []string{"failed:a", "paid"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewState()
			var got []string
			for _, e := range tt.events {
				_, ns := s.Apply(e, testsupport.T0)
				for _, n := range ns {
					got = append(got, n.Key())
					s.Delivered(n)
				}
			}
			if s.Status != tt.wantStatus {
				t.Errorf("status = %s, want %s", s.Status, tt.wantStatus)
			}
			if strings.Join(got, ",") != strings.Join(tt.wantNotices, ",") {
				t.Errorf("notices = %v, want %v", got, tt.wantNotices)
			}
		})
	}
}

func TestDeliveredPendingIsNotDuplicated(t *testing.T) {
	s := NewState()
	_, ns := s.Apply(Event{ProviderRef: "a", Status: AttemptSuccess}, testsupport.T0)
	n := s.Claim(ns, testsupport.T0, 2*time.Minute)[0]
	if got := s.Claimable(testsupport.T0.Add(time.Minute), 2*time.Minute); len(got) != 0 {
		t.Fatalf("claimable while claimed = %v, want none", got)
	}
	if got := s.Claimable(testsupport.T0.Add(2*time.Minute), 2*time.Minute); len(got) != 1 {
		t.Fatalf("claimable once the lease is over = %v, want the notice", got)
	}
	if len(s.Pending) != 1 {
		t.Fatalf("pending = %v, want the claimed notice", s.Pending)
	}
	if _, again := s.Apply(Event{ProviderRef: "a", Status: AttemptSuccess}, testsupport.T0); len(again) != 0 {
		t.Fatalf("a pending notice was produced again: %v", again)
	}
	s.Delivered(n)
	if len(s.Pending) != 0 || !s.WasNotified("paid") {
		t.Fatalf("after retry: pending %v notified %v", s.Pending, s.Notified)
	}
}

func TestMove(t *testing.T) {
	s := NewState()
	ok, ns := s.Move(Expired, testsupport.T0)
	if !ok || len(ns) != 1 || ns[0].Kind != NoticeExpired {
		t.Fatalf("expire open: ok=%v notices=%v", ok, ns)
	}
	if ok, _ := s.Move(Cancelled, testsupport.T0); ok {
		t.Fatal("cancelled an expired check")
	}
	if ok, _ := s.Move(Open, testsupport.T0); ok {
		t.Fatal("reopened an expired check")
	}
}

func TestRefRoundTripAndTamper(t *testing.T) {
	sg := NewSigner("test secret")
	r := Ref{
		ID:       ids.Encode(make([]byte, IDBytes)),
		Merchant: ids.Encode([]byte{1, 2, 3, 4, 5, 6, 7, 8}),
		Operator: ids.Encode([]byte{8, 7, 6, 5, 4, 3, 2, 1}),
		Amount:   1250,
		Created:  testsupport.T0,
		Expires:  testsupport.T0.Add(time.Hour),
	}
	s, err := sg.Encode(r)
	if err != nil {
		t.Fatal(err)
	}
	if len(s) > 90 {
		t.Errorf("ref is %d characters; keep QR codes small", len(s))
	}
	got, err := sg.Decode(s)
	if err != nil || got != r {
		t.Fatalf("Decode = %+v, %v; want %+v", got, err, r)
	}
	bad := []string{"", "x", s[:len(s)-1], s + "A", strings.Repeat("A", 300), flip(s, 5), flip(s, len(s)-3)}
	for _, b := range bad {
		if _, err := sg.Decode(b); err != ErrBadRef {
			t.Errorf("Decode(%.20q…) = %v, want ErrBadRef", b, err)
		}
	}
	if _, err := NewSigner("other").Decode(s); err != ErrBadRef {
		t.Errorf("another secret accepted the ref: %v", err)
	}
}

func flip(s string, i int) string {
	b := []byte(s)
	if b[i] == 'A' {
		b[i] = 'B'
	} else {
		b[i] = 'A'
	}
	return string(b)
}

func FuzzDecodeToken(f *testing.F) {
	sg := NewSigner("fuzz")
	good, _ := sg.Encode(Ref{ID: ids.Encode(make([]byte, IDBytes)), Merchant: ids.Encode(make([]byte, 8)), Operator: ids.Encode(make([]byte, 8)), Amount: 1, Created: testsupport.T0, Expires: testsupport.T0})
	f.Add(good)
	f.Add("AQ")
	f.Fuzz(func(t *testing.T, s string) {
		r, err := sg.Decode(s)
		if err == nil && (r.Amount <= 0 || len(r.ID) != 26) {
			t.Fatalf("accepted nonsense %q: %+v", s, r)
		}
		if err == nil {
			if again, _ := sg.Encode(r); again != s {
				t.Fatalf("accepted %q, another spelling of %q", s, again)
			}
		}
	})
}

// TestNoticeTellsTheBanksTime: a notice carries the bank's time of the
// event, not the time the product learnt it (a poll, a late callback).
func TestNoticeTellsTheBanksTime(t *testing.T) {
	paidAt := testsupport.T0.Add(3 * time.Minute)
	learnt := paidAt.Add(4 * time.Minute)
	s := NewState()
	_, ns := s.Apply(Event{Provider: "monobank", ProviderRef: "a", Status: AttemptSuccess, Modified: paidAt}, learnt)
	if len(ns) != 1 || !ns[0].At.Equal(paidAt) {
		t.Errorf("notices %+v; want one at the bank's %v", ns, paidAt)
	}
	s = NewState()
	_, ns = s.Apply(Event{Provider: "sandbox", ProviderRef: "a", Status: AttemptSuccess}, learnt)
	if len(ns) != 1 || !ns[0].At.Equal(learnt) {
		t.Errorf("without a bank time: notices %+v; want one at %v", ns, learnt)
	}
	s = NewState()
	_, ns = s.Apply(Event{Provider: "monobank", ProviderRef: "a", Status: AttemptSuccess, Modified: learnt.Add(time.Hour)}, learnt)
	if len(ns) != 1 || !ns[0].At.Equal(learnt) {
		t.Errorf("a bank time in the future: notices %+v; want one at %v (never a time not yet come)", ns, learnt)
	}
}

// TestNoStaleNoticeAfterPaid: a failure (or expiry) notice that is still
// pending when the check is paid, because its send failed or the check's
// record had not reached that location yet (KV lag), is no longer news:
// retried after the paid notice it would tell the cashier «the payment
// failed, the check can still be paid» about a paid check. Found by the
// reliability suite (TestOrderings, seed 18).
func TestNoStaleNoticeAfterPaid(t *testing.T) {
	for _, tt := range []struct {
		name  string
		first func(s *State) []Notice
	}{
		{"failed", func(s *State) []Notice {
			_, ns := s.Apply(Event{ProviderRef: "a", Status: AttemptFailure, Reason: "declined"}, testsupport.T0)
			return ns
		}},
		{"expired", func(s *State) []Notice {
			_, ns := s.Move(Expired, testsupport.T0)
			return ns
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := NewState()
			ns := tt.first(&s)
			if len(ns) != 1 {
				t.Fatalf("notices = %v, want one", ns)
			}
			s.Claim(ns, testsupport.T0, 2*time.Minute) // claimed, never delivered
			_, paid := s.Apply(Event{ProviderRef: "b", Status: AttemptSuccess}, testsupport.T0.Add(time.Second))
			if len(paid) != 1 || paid[0].Kind != NoticePaid {
				t.Fatalf("paid notices = %v", paid)
			}
			s.Claim(paid, testsupport.T0.Add(time.Second), 2*time.Minute)
			for _, n := range s.Claimable(testsupport.T0.Add(time.Hour), 2*time.Minute) {
				if n.Kind != NoticePaid {
					t.Errorf("after paid, %s notice still to be sent: %+v", n.Kind, n)
				}
			}
		})
	}
}

// TestTokenHasOneSpelling: base64's last character has spare bits, which a
// lenient decoder ignores; a token spelled with other spare bits is refused,
// so a check has one link (FuzzOrder found the sandbox's order tokens read
// four ways).
func TestTokenHasOneSpelling(t *testing.T) {
	sg := NewSigner("spelling")
	good, err := sg.Encode(Ref{ID: ids.Encode(make([]byte, IDBytes)), Merchant: ids.Encode(make([]byte, 8)), Operator: ids.Encode(make([]byte, 8)), Amount: 12345, Created: testsupport.T0, Expires: testsupport.T0})
	if err != nil {
		t.Fatal(err)
	}
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	for _, c := range alphabet {
		other := good[:len(good)-1] + string(c)
		if other == good {
			continue
		}
		if _, err := sg.Decode(other); err == nil {
			t.Errorf("accepted %q, another spelling of %q", other, good)
		}
	}
	for _, other := range []string{good[:10] + "\n" + good[10:], good + "\r\n", good[:20] + "\r" + good[20:]} {
		if _, err := sg.Decode(other); err == nil {
			t.Errorf("accepted %q, %q with a line break", other, good)
		}
	}
}
