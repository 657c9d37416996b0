package pay

import (
	"sync"
	"time"
)

// StatusEvery is how often one instance asks the bank about one pending
// attempt for the result page. A buyer's tab reloading, or a link shared
// in a chat and opened by its preview bot, would otherwise turn every page
// view into a bank call (anyone holding the link could make us call the
// bank at will); within StatusEvery the page shows what the store says,
// and the callback or the next ask settles it.
const StatusEvery = 5 * time.Second

// maxAsked bounds the memory of the asked set: a busy instance forgets
// everything at once rather than grow (forgetting costs one bank call each).
const maxAsked = 4096

// asked remembers when this instance last asked the bank about an attempt.
// It lives as long as the instance and holds no request's data: keys are
// attempt references, values times.
type asked struct {
	mu   sync.Mutex
	last map[string]time.Time
}

// due reports whether the attempt may be asked about at now, and if so
// records that it is being asked.
func (a *asked) due(attempt string, now time.Time) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if t, ok := a.last[attempt]; ok && now.Sub(t) < StatusEvery && !now.Before(t) {
		return false
	}
	if a.last == nil || len(a.last) >= maxAsked {
		a.last = map[string]time.Time{}
	}
	a.last[attempt] = now
	return true
}
