package check

import "time"

// Attempt is one payment started at the bank for the check.
type Attempt struct {
	Provider    string        `json:"provider"`     // "sandbox", "monobank", "liqpay"
	ProviderRef string        `json:"provider_ref"` // the bank's id of the payment
	PayURL      string        `json:"pay_url,omitempty"`
	Status      AttemptStatus `json:"status"`
	Reason      string        `json:"reason,omitempty"` // the bank's words for a failure
	Created     time.Time     `json:"created"`
	Modified    time.Time     `json:"modified"` // the bank's time of the last applied event
	Valid       time.Time     `json:"valid"`    // the bank's page works until then
	// RefundAsked is when the bank accepted our request to refund this
	// payment. A bank may settle a refund later (monobank's invoice/cancel
	// answers "processing") and report it with a webhook that can be lost,
	// so the scheduled pass asks the bank about a payment refunded but not
	// yet reversed (RefundPending). Zero when no refund was asked.
	RefundAsked time.Time `json:"refund_asked,omitzero"`
}

// RefundPending reports whether a refund of the attempt was asked and the
// bank has not reported the payment reversed yet.
func (a Attempt) RefundPending() bool {
	return a.Status == AttemptSuccess && !a.RefundAsked.IsZero()
}

// stale reports whether ev is old news for the attempt. monobank's rule is
// that the event with the greater modifiedDate is the current one, so an
// event stamped no later than the last one applied is ignored: equal times
// say nothing about the order (a failure and a success stamped in the same
// second could be either way round). Two exceptions:
//   - an event or an attempt without a time (a bank that gives none) is
//     ordered by the status ranks alone;
//   - a reversal of a success stamped with the success's own time still
//     applies: a payment is reversed only after it succeeded, so their
//     order is never in doubt, and banks (or fakes on a fixed clock) with a
//     coarse clock can stamp both alike.
func (a Attempt) stale(ev Event) bool {
	if ev.Modified.IsZero() || a.Modified.IsZero() {
		return false
	}
	if a.Status == AttemptSuccess && ev.Status == AttemptReversed {
		return ev.Modified.Before(a.Modified)
	}
	return !ev.Modified.After(a.Modified)
}

// Reusable returns the newest attempt the buyer can still finish at the bank:
// pending and valid a while longer. Opening the link twice reuses it, so the
// buyer cannot pay twice.
func (s *State) Reusable(now time.Time) (*Attempt, bool) {
	for i := len(s.Attempts) - 1; i >= 0; i-- {
		a := &s.Attempts[i]
		if a.Status == AttemptPending && now.Add(time.Minute).Before(a.Valid) {
			return a, true
		}
	}
	return nil, false
}
