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
	// Test marks a test payment, where no real money moves (the sandbox
	// bank, a bank's test mode): every notice, list and page says so, so
	// that nobody hands over goods for it.
	Test bool `json:"test,omitempty"`
	// Card is the paying card as the bank shows it (masked: "•••• 4242",
	// "4242 42** **** 4242"), for the buyer's receipt; empty if not told.
	Card string `json:"card,omitempty"`
	// BankStatus is the bank's own word for the payment when it says more
	// than Status can: LiqPay's wait_accept (the money is taken but LiqPay
	// has not verified the shop yet) is a success with BankStatus
	// "wait_accept", so that it can be shown. Empty when Status says it all.
	BankStatus string `json:"bank_status,omitempty"`
}

// RefundPending reports whether a refund of the attempt was asked and the
// bank has not reported the payment reversed yet.
func (a Attempt) RefundPending() bool {
	return a.Status == AttemptSuccess && !a.RefundAsked.IsZero()
}

// stale reports whether ev is old news for the attempt. monobank's rule is
// that the event with the greater modifiedDate is the current one, so an
// event stamped before the last one applied is ignored. Two events stamped
// alike (banks stamp to the second; a fake on a fixed clock stamps all
// alike) are ordered by the bank's own order of statuses: a payment is
// declined before a retry on the same page succeeds, and succeeds before
// it is reversed — never the other way round — so at equal times the
// higher rank is the later news and applies (CanMoveTo then decides), and
// the lower is stale. Ignoring either one at a tie would lose a success
// that followed a decline within the same second. An event or an attempt
// without a time (a bank that gives none) is ordered by the ranks alone.
func (a Attempt) stale(ev Event) bool {
	if ev.Modified.IsZero() || a.Modified.IsZero() {
		return false
	}
	if ev.Modified.Equal(a.Modified) {
		return !a.Status.CanMoveTo(ev.Status)
	}
	return ev.Modified.Before(a.Modified)
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
