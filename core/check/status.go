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

// CanMoveTo is the one place that says which status changes are allowed:
// up the ranks, and to refunded only from paid.
func (s Status) CanMoveTo(next Status) bool {
	return forward(rank, s, next) && (next != Refunded || s == Paid)
}

// forward reports whether to ranks above from, both known.
func forward[S comparable](rank map[S]int, from, to S) bool {
	f, ok1 := rank[from]
	t, ok2 := rank[to]
	return ok1 && ok2 && t > f
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

// CanMoveTo says which attempt status changes are allowed: up the ranks,
// and to reversed only from success.
func (s AttemptStatus) CanMoveTo(next AttemptStatus) bool {
	return forward(attemptRank, s, next) && (next != AttemptReversed || s == AttemptSuccess)
}
