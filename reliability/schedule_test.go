package reliability

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// kind is one thing that happens to a check from outside the product.
type kind int

const (
	start     kind = iota // a buyer's tab presses «Оплатити»
	paid                  // the buyer's card succeeds on the bank's page of the newest open invoice
	declined              // the buyer's card is declined there
	payOld                // a second tab pays the oldest open invoice
	duplicate             // the bank sends its last webhook again
	stale                 // the bank sends an older webhook again (processing, or an earlier failure)
	forged                // someone posts a webhook the bank did not sign, saying success
	poll                  // the buyer's result page (asks the bank while pending)
	cancel                // the operator presses «Скасувати» under the QR
	refund                // the operator asks for a refund under the paid notice, and confirms
	cron                  // the scheduled pass
	later                 // the clock moves on past ReconcileAfter
	expire                // the clock moves past the check's expiry, then the scheduled pass
	kinds
)

var kindNames = [kinds]string{"start", "paid", "declined", "pay-old", "duplicate", "stale", "forged", "poll", "cancel", "refund", "cron", "later", "expire"}

func (k kind) String() string { return kindNames[k] }

// weights of the kinds in a random step (expire is added apart, at most once).
var weights = [kinds]int{start: 4, paid: 4, declined: 3, payOld: 1, duplicate: 3, stale: 3, forged: 2, poll: 5, cancel: 1, refund: 2, cron: 3, later: 2}

// action is one thing that happens, at a KV location.
type action struct {
	kind kind
	loc  string
}

// schedule is a seed's small story: steps one after the other, the
// actions of a step at once (each in its goroutine).
type schedule struct {
	seed   uint64
	amount string // the check's amount as the operator types it: unique per seed
	steps  [][]action
}

var locations = []string{"kyiv", "warsaw", "frankfurt"}

// newSchedule draws seed's schedule: the first step starts the payment in
// one or two tabs, then 2 to 6 steps of 1 to 4 actions, and perhaps the
// check's expiry.
func newSchedule(seed uint64) schedule {
	rng := rand.New(rand.NewPCG(seed, 0x7363686564))
	loc := func() string { return locations[rng.IntN(len(locations))] }
	sc := schedule{seed: seed, amount: amountOf(seed)}
	first := []action{{start, loc()}}
	if rng.IntN(3) == 0 {
		first = append(first, action{start, loc()})
	}
	sc.steps = append(sc.steps, first)
	total := 0
	for _, w := range weights {
		total += w
	}
	expireAt := -1
	n := 2 + rng.IntN(5)
	if rng.IntN(6) == 0 {
		expireAt = 1 + rng.IntN(n)
	}
	for i := 1; i <= n; i++ {
		var step []action
		for range 1 + rng.IntN(4) {
			r := rng.IntN(total)
			k := kind(0)
			for ; r >= weights[k]; k++ {
				r -= weights[k]
			}
			step = append(step, action{k, loc()})
		}
		if i == expireAt {
			step = append(step, action{expire, loc()})
		}
		sc.steps = append(sc.steps, step)
	}
	return sc
}

// amountOf is a seed's amount, 1,00 грн and up: unique per seed, so that
// the operator's messages about each check can be told apart by it.
func amountOf(seed uint64) string {
	k := 100 + seed%400000
	return fmt.Sprintf("%d,%02d", k/100, k%100)
}

func (sc schedule) String() string {
	var b strings.Builder
	for i, st := range sc.steps {
		if i > 0 {
			b.WriteString(" → ")
		}
		for j, a := range st {
			if j > 0 {
				b.WriteString(" | ")
			}
			fmt.Fprintf(&b, "%s@%s", a.kind, a.loc)
		}
	}
	return b.String()
}

// events is the number of actions in the schedule.
func (sc schedule) events() int {
	n := 0
	for _, st := range sc.steps {
		n += len(st)
	}
	return n
}
