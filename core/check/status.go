package check

// Status is where a check stands. It only moves forward (invariant 2,
// docs/invariants.md):
//
//	open → paid | expired | cancelled
//	paid → refunded
//	expired | cancelled → paid   (the bank is the source of truth: a payment
//	                              that the bank confirms late is still money taken)
type Status string

const (
	Open      Status = "open"
	Paid      Status = "paid"
	Expired   Status = "expired"
	Cancelled Status = "cancelled"
	Refunded  Status = "refunded"
)

// rank orders statuses; a move is allowed only to a higher rank.
var rank = map[Status]int{Open: 0, Expired: 1, Cancelled: 1, Paid: 2, Refunded: 3}

// CanMoveTo is the one place that says which status changes are allowed.
func (s Status) CanMoveTo(next Status) bool {
	from, ok1 := rank[s]
	to, ok2 := rank[next]
	if !ok1 || !ok2 || to <= from {
		return false
	}
	// refunded is reachable only from paid
	return next != Refunded || s == Paid
}

// Valid reports whether s is a known status.
func (s Status) Valid() bool { _, ok := rank[s]; return ok }

// AttemptStatus is where one payment attempt (one card entry on the bank's
// page) stands: pending → success | failure | expired, success → reversed.
type AttemptStatus string

const (
	AttemptPending  AttemptStatus = "pending"
	AttemptSuccess  AttemptStatus = "success"
	AttemptFailure  AttemptStatus = "failure"
	AttemptExpired  AttemptStatus = "expired"
	AttemptReversed AttemptStatus = "reversed"
)

var attemptRank = map[AttemptStatus]int{AttemptPending: 0, AttemptFailure: 1, AttemptExpired: 1, AttemptSuccess: 2, AttemptReversed: 3}

// CanMoveTo says which attempt status changes are allowed.
func (s AttemptStatus) CanMoveTo(next AttemptStatus) bool {
	from, ok1 := attemptRank[s]
	to, ok2 := attemptRank[next]
	if !ok1 || !ok2 || to <= from {
		return false
	}
	return next != AttemptReversed || s == AttemptSuccess
}
