package check

import (
	"time"
)

// State is the changing part of a check: its status, the payment attempts and
// which notifications were sent. It is stored apart from the check's record,
// in the consistent store, where every change is a conditional write only
// one request wins.
type State struct {
	Status   Status    `json:"status"`
	Attempts []Attempt `json:"attempts,omitempty"`
	// Notified holds the notices already delivered to the operator, by
	// Notice.Key; Pending holds those not delivered yet: claimed by the
	// request sending them (Notice.Claimed), or waiting for the scheduled
	// pass to claim and retry them once that claim has lapsed. Together
	// they make notifications exactly-once but for a lost answer: a send
	// the messenger accepted but whose answer never came back is sent
	// again.
	Notified []string `json:"notified,omitempty"`
	Pending  []Notice `json:"pending,omitempty"`
	// Starting is set while a request starts a payment at the bank: the
	// attempt number it took and when. Another request that wants to start
	// one waits for it instead of starting a second payment.
	Starting *Claim `json:"starting,omitempty"`
	// Refunding is set while a request asks the bank to refund an attempt
	// (Claim.Attempt): a second confirmation meanwhile asks nothing.
	Refunding *Claim    `json:"refunding,omitempty"`
	Updated   time.Time `json:"updated"`
}

// Claim is a request's hold on a step that must be taken once (a payment
// started, a refund asked): what it took and when. A claim older than its
// lease was lost with its request, and another may take it.
type Claim struct {
	Seq     int       `json:"seq,omitempty"`
	Attempt string    `json:"attempt,omitempty"`
	At      time.Time `json:"at"`
}

// Held reports whether c is a claim still within its lease at now.
func (c *Claim) Held(now time.Time, lease time.Duration) bool {
	return c != nil && now.Before(c.At.Add(lease))
}

// NoticeKind is what the operator is told.
type NoticeKind string

const (
	NoticePaid     NoticeKind = "paid"
	NoticeFailed   NoticeKind = "failed"
	NoticeExpired  NoticeKind = "expired"
	NoticeRefunded NoticeKind = "refunded"
	// NoticePaidTwice: another attempt succeeded on a check already paid
	// (two bank pages open at once): the buyer paid twice, and the operator
	// should refund one.
	NoticePaidTwice NoticeKind = "paid_twice"
	// NoticeBankRefused: the merchant's bank refused to take a payment for
	// good (credentials revoked, the shop not allowed): the buyer could not
	// pay and retrying will not help. Once per check, however many presses.
	NoticeBankRefused NoticeKind = "bank_refused"
)

// Notice is one message to the operator about a check.
type Notice struct {
	Kind   NoticeKind `json:"kind"`
	Reason string     `json:"reason,omitempty"` // for failed
	At     time.Time  `json:"at"`
	// Attempt is the provider ref of the attempt a failure is about: each
	// failed attempt is its own event.
	Attempt string `json:"attempt,omitempty"`
	// Test: the notice is about a test payment (Attempt.Test).
	Test bool `json:"test,omitempty"`
	// Claimed is when a request took the notice to send it (zero: nobody
	// is sending it). The claim is written with the change that made the
	// notice, so only the request that made it sends it; a claim older
	// than a lease was lost (the request died) and the scheduled pass
	// claims it again.
	Claimed time.Time `json:"claimed,omitzero"`
	// Moot: no longer true (the check was paid while its request was
	// sending it). It is kept while that request may still be sending, so
	// that nothing newer about the check is sent before it lands; once its
	// claim lapses unsent it is dropped, never sent.
	Moot bool `json:"moot,omitempty"`
}

// Key identifies the event a notice is about, for deduplication.
func (n Notice) Key() string {
	if n.Kind == NoticeFailed || n.Kind == NoticePaidTwice {
		return string(n.Kind) + ":" + n.Attempt
	}
	return string(n.Kind)
}

// BankRefused records that the bank refused a payment of the check for
// good, with its words: the notice the first time, nothing after.
func (s *State) BankRefused(reason string, now time.Time) []Notice {
	return s.notice(Notice{Kind: NoticeBankRefused, Reason: reason, At: now})
}

// NewState is the state of a check that nobody has touched yet.
func NewState() State { return State{Status: Open} }

// Attempt returns the attempt with the bank's ref, if any.
func (s *State) Attempt(providerRef string) (*Attempt, bool) {
	for i := range s.Attempts {
		if s.Attempts[i].ProviderRef == providerRef {
			return &s.Attempts[i], true
		}
	}
	return nil, false
}

// Event is what a bank says about an attempt, after its signature is checked.
type Event struct {
	Provider    string
	ProviderRef string
	Status      AttemptStatus
	Reason      string
	Modified    time.Time // the bank's time of the event; zero if it gives none
	// RefundAsked, when set, is not the bank's word but the product's: the
	// bank accepted a refund of the attempt at that time. Apply records it
	// on the attempt (Attempt.RefundAsked) in the same write as whatever
	// the bank said with it.
	RefundAsked time.Time
	// Test: the bank says this is a test payment (see Attempt.Test).
	Test bool
	// Card is the paying card, masked, when the bank says (Attempt.Card).
	Card string
	// BankStatus is the bank's own status when it says more (Attempt.BankStatus).
	BankStatus string
}

// Apply folds a bank event into the state: forward only, and each event
// notifies at most once. A duplicated, reordered or replayed event, or one
// not newer than the last applied for its attempt (see Attempt.stale),
// changes nothing but the refund mark it may carry. It returns whether the
// state changed and the notices to send.
func (s *State) Apply(ev Event, now time.Time) (changed bool, notices []Notice) {
	a, ok := s.Attempt(ev.ProviderRef)
	if !ok {
		// The start of this attempt may not have reached this location yet
		// (KV lag): the bank's word is enough to record it.
		s.Attempts = append(s.Attempts, Attempt{Provider: ev.Provider, ProviderRef: ev.ProviderRef, Status: AttemptPending, Created: now})
		a = &s.Attempts[len(s.Attempts)-1]
		changed = true
	}
	if !ev.RefundAsked.IsZero() && a.RefundAsked.IsZero() {
		a.RefundAsked = ev.RefundAsked
		s.Updated = now
		changed = true
	}
	if !ev.RefundAsked.IsZero() && s.Refunding != nil && s.Refunding.Attempt == ev.ProviderRef {
		s.Refunding = nil // the refund asked is recorded: the claim is done
		changed = true
	}
	if a.stale(ev) {
		return changed, nil // the bank said something as new already
	}
	if !a.Status.CanMoveTo(ev.Status) {
		return changed, nil
	}
	a.Status = ev.Status
	a.Reason = ev.Reason
	a.Test = a.Test || ev.Test
	if ev.Card != "" {
		a.Card = ev.Card
	}
	a.BankStatus = ev.BankStatus
	if !ev.Modified.IsZero() {
		a.Modified = ev.Modified
	}
	changed = true
	// A notice tells the time the bank gives for the event, where it gives
	// one: the cashier's "paid at 12:03" is when the buyer paid, not when a
	// poll or a late callback told us.
	at := now
	if !ev.Modified.IsZero() && ev.Modified.Before(now) {
		at = ev.Modified
	}
	switch ev.Status {
	case AttemptSuccess:
		if s.Status.CanMoveTo(Paid) {
			s.Status = Paid
			// a failure or expiry not told yet is no longer true: sent
			// after this notice it would ask for another payment
			s.moot(string(NoticeExpired))
			for _, other := range s.Attempts {
				s.moot(Notice{Kind: NoticeFailed, Attempt: other.ProviderRef}.Key())
			}
			notices = s.notice(Notice{Kind: NoticePaid, At: at, Test: a.Test})
		} else if s.Status == Paid || s.Status == Refunded {
			notices = s.notice(Notice{Kind: NoticePaidTwice, At: at, Attempt: ev.ProviderRef, Test: a.Test})
		}
	case AttemptReversed:
		// refunded only once no payment is left: returning one of two
		// payments leaves the check paid
		if s.Status.CanMoveTo(Refunded) && !s.otherSuccess(ev.ProviderRef) {
			s.Status = Refunded
			notices = s.notice(Notice{Kind: NoticeRefunded, At: at, Test: a.Test})
		}
	case AttemptFailure:
		if s.Status == Open { // after paid, an old failure is history, not news
			notices = s.notice(Notice{Kind: NoticeFailed, Reason: ev.Reason, At: at, Attempt: ev.ProviderRef, Test: a.Test})
		}
	}
	s.Updated = now
	return changed, notices
}

// otherSuccess reports whether an attempt other than providerRef holds a
// successful payment.
func (s *State) otherSuccess(providerRef string) bool {
	for _, a := range s.Attempts {
		if a.ProviderRef != providerRef && a.Status == AttemptSuccess {
			return true
		}
	}
	return false
}

// Move changes the status for a reason that is not a bank event: expiry or
// cancellation. It reports false, changing nothing, if the move is not allowed.
func (s *State) Move(to Status, now time.Time) (ok bool, notices []Notice) {
	if !s.Status.CanMoveTo(to) {
		return false, nil
	}
	s.Status = to
	s.Updated = now
	if to == Expired {
		notices = s.notice(Notice{Kind: NoticeExpired, At: now})
	}
	return true, notices
}

// notice returns n unless it was already notified or is pending.
func (s *State) notice(n Notice) []Notice {
	if s.WasNotified(n.Key()) {
		return nil
	}
	for _, p := range s.Pending {
		if p.Key() == n.Key() {
			return nil
		}
	}
	return []Notice{n}
}

// WasNotified reports whether the notice with key was delivered.
func (s *State) WasNotified(key string) bool {
	for _, k := range s.Notified {
		if k == key {
			return true
		}
	}
	return false
}

// Claim adds ns, new notices, to the pending ones and claims for this
// request, from now on, the notices it may send, in the order they
// happened. While another request is sending one of the check's notices
// (its claim is younger than lease) it claims none: a check's notices
// reach the chat one at a time, in order, and that request claims the rest
// when it records its delivery (a failure sent after «Оплачено» would ask
// the cashier for another payment). Moot notices whose claim lapsed are
// dropped.
func (s *State) Claim(ns []Notice, now time.Time, lease time.Duration) []Notice {
	s.Pending = append(s.Pending, ns...)
	if s.sending(now, lease) {
		return nil
	}
	var claimed []Notice
	kept := s.Pending[:0]
	for _, p := range s.Pending {
		if p.Moot {
			continue // lapsed unsent: nobody is sending it
		}
		p.Claimed = now
		kept = append(kept, p)
		claimed = append(claimed, p)
	}
	s.Pending = kept
	return claimed
}

// Claimable returns the pending notices Claim would claim now: none while
// a request is sending one (its claim younger than lease), else those
// never claimed or whose claim lapsed (that request died or lost its
// answer), moot ones aside.
func (s *State) Claimable(now time.Time, lease time.Duration) []Notice {
	if s.sending(now, lease) {
		return nil
	}
	var out []Notice
	for _, p := range s.Pending {
		if !p.Moot {
			out = append(out, p)
		}
	}
	return out
}

// Settling reports whether a pending notice waits for nothing but a write:
// a moot one whose claim lapsed, to be dropped.
func (s *State) Settling(now time.Time, lease time.Duration) bool {
	if s.sending(now, lease) {
		return false
	}
	for _, p := range s.Pending {
		if p.Moot {
			return true
		}
	}
	return false
}

// sending reports whether a request is sending one of the notices: its
// claim is younger than lease.
func (s *State) sending(now time.Time, lease time.Duration) bool {
	for _, p := range s.Pending {
		if !p.Claimed.IsZero() && now.Before(p.Claimed.Add(lease)) {
			return true
		}
	}
	return false
}

// Delivered records that n was delivered, whoever claimed it. It reports
// whether that is news. A failed send is not recorded: its claim lapses
// after the lease, and the scheduled pass claims the notice again (no
// write for a failure, however often the messenger fails).
func (s *State) Delivered(n Notice) bool {
	key := n.Key()
	if s.WasNotified(key) {
		return false
	}
	s.drop(key)
	s.Notified = append(s.Notified, key)
	return true
}

// moot drops the pending notice with key, unless a request may be sending
// it: then it is kept as moot (see Notice.Moot). Which requests may be
// sending is known only to Claim's lease; a claimed notice is kept moot
// whatever its age, and Claim drops it once the lease has lapsed.
func (s *State) moot(key string) {
	kept := s.Pending[:0]
	for _, p := range s.Pending {
		if p.Key() == key {
			if p.Claimed.IsZero() {
				continue
			}
			p.Moot = true
		}
		kept = append(kept, p)
	}
	s.Pending = kept
}

// drop removes the pending notice with key.
func (s *State) drop(key string) {
	kept := s.Pending[:0]
	for _, p := range s.Pending {
		if p.Key() != key {
			kept = append(kept, p)
		}
	}
	s.Pending = kept
}
