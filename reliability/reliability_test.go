package reliability

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/paylastic/edge/core/bank/monobank"
)

var (
	seedsFlag   = flag.Int("seeds", envInt("RELIABILITY_SEEDS", 24), "seeds per test (env RELIABILITY_SEEDS)")
	firstFlag   = flag.Uint64("first", uint64(envInt("RELIABILITY_FIRST", 1)), "first seed (env RELIABILITY_FIRST)")
	seedFlag    = flag.Uint64("seed", 0, "replay this one seed (its schedule and its fault decisions)")
	workersFlag = flag.Int("workers", envInt("RELIABILITY_WORKERS", 4), "harnesses run side by side, each its own seeds")
)

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

// Fault injection of TestFaults: this share of the guest's KV operations,
// SQL statements and outbound requests fails, each waits up to faultLatency.
const (
	faultRate    = 0.10
	faultLatency = 3 * time.Millisecond
	// writesBudget is the KV writes a paid check may cost (the Free plan
	// allows 1000 a day; docs: invariant 8), the bank's key cache aside.
	writesBudget = 3
)

// TestOrderings: random schedules of concurrent and reordered bank events,
// polls, cancels, refunds, expiry and scheduled passes, with KV lag, held
// against the model; and the KV writes of each paid check, within budget.
func TestOrderings(t *testing.T) { suite(t, false) }

// TestFaults: the same schedules while 10 % of KV operations, SQL
// statements and outbound requests fail (and all are slowed): after the
// senders' retries and the scheduled pass, nothing is lost, nothing told
// wrong, and every webhook that failed was answered 5xx.
func TestFaults(t *testing.T) { suite(t, true) }

// figures sum what the seeds did.
type figures struct {
	seeds, events, requests, forgeries      atomic.Int64
	paidChecks, notices, failedAnswers      atomic.Int64
	redelivered                             atomic.Int64
	kvInjected, sqlInjected, outInjected    atomic.Int64
	kvOps, sqlOps, outOps                   atomic.Int64
	writesPaid, maxWritesPaid, cancels, exp atomic.Int64
	cancelsNotFound, sentNotRecorded        atomic.Int64
}

func suite(t *testing.T, fault bool) {
	if testing.Short() {
		t.Skip("the reliability suite runs the compiled guest")
	}
	t.Parallel() // the two tests share the machine: their harnesses interleave
	first, n := *firstFlag, uint64(*seedsFlag)
	if *seedFlag != 0 {
		first, n = *seedFlag, 1
	}
	workers := min(uint64(*workersFlag), n)
	t.Logf("%s: seeds %d..%d (replay one: go test ./reliability -run '^%s$' -seed N -v)", t.Name(), first, first+n-1, t.Name())
	var f figures
	var mu sync.Mutex
	var failed []uint64
	began := time.Now()
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := newShop(t, first+w)
			for seed := first + w; seed < first+n; seed += workers {
				if t.Failed() && len(failed) >= 3 {
					return // enough to replay
				}
				v := oneSeed(t, s, seed, fault, &f)
				if done := f.seeds.Load(); done%100 == 0 {
					t.Logf("%s: %d seeds done in %v, %d paid, %d notices, failing %v", t.Name(), done,
						time.Since(began).Round(time.Second), f.paidChecks.Load(), f.notices.Load(), failedSeeds(&mu, &failed))
				}
				if len(v) > 0 {
					mu.Lock()
					failed = append(failed, seed)
					mu.Unlock()
					t.Errorf("seed %d: %s\n\tschedule: %s\n\treplay: go test ./reliability -run '^%s$' -seed %d -v",
						seed, strings.Join(v, "\n\t"), newSchedule(seed), t.Name(), seed)
				}
			}
		}()
	}
	wg.Wait()
	paid := f.paidChecks.Load()
	perPaid := "n/a"
	if paid > 0 {
		perPaid = fmt.Sprintf("%.2f (max %d, budget %d)", float64(f.writesPaid.Load())/float64(paid), f.maxWritesPaid.Load(), writesBudget)
	}
	t.Logf("%s figures: seeds %d (%d..%d), events %d, guest requests %d in %v; paid checks %d, cancels %d (and %d refused: «not found» under KV lag), expiries %d, forged webhooks %d; "+
		"notices counted %d (sends the guest could not record: %d); faults injected: KV %d of %d, SQL %d of %d, outbound %d of %d; webhooks answered 5xx (or not) and sent again %d, updates redelivered %d; "+
		"KV writes per paid check %s; failing seeds %v",
		t.Name(), f.seeds.Load(), first, first+n-1, f.events.Load(), f.requests.Load(), time.Since(began).Round(time.Second),
		paid, f.cancels.Load(), f.cancelsNotFound.Load(), f.exp.Load(), f.forgeries.Load(), f.notices.Load(), f.sentNotRecorded.Load(),
		f.kvInjected.Load(), f.kvOps.Load(), f.sqlInjected.Load(), f.sqlOps.Load(), f.outInjected.Load(), f.outOps.Load(),
		f.failedAnswers.Load(), f.redelivered.Load(), perPaid, failed)
}

// oneSeed runs seed's schedule on s and returns what broke.
func oneSeed(t *testing.T, s *shop, seed uint64, fault bool, f *figures) []string {
	sc := newSchedule(seed)
	// a new day for every seed: the scheduled pass looks at today's and
	// yesterday's checks, so each seed's passes see its own check only
	s.env.Clock.Advance(72 * time.Hour)
	s.kvF.Reseed(seed*3 + 1)
	s.sqlF.Reseed(seed*3 + 2)
	s.outF.Reseed(seed*3 + 3)
	kv0, sql0, out0 := s.kvF.Injected(), s.sqlF.Injected(), s.outF.Injected()
	kvOps0, sqlOps0, outOps0 := s.kvF.Ops(), s.sqlF.Ops(), s.outF.Ops()
	red0, req0, puts0, keyPuts0 := s.redelivered.Load(), s.requests.Load(), s.kvF.AllPuts(), s.kvF.Puts(pubkeyPrefix)
	r := &run{s: s, sc: sc, fault: fault}
	if fault {
		s.setFaults(faultRate, faultLatency)
	}
	if r.create() {
		r.execute()
		n := r.verify()
		f.notices.Add(int64(n.paid + n.failed + n.expired + n.refunded + n.twice))
		writes := (s.kvF.AllPuts() - puts0) - (s.kvF.Puts(pubkeyPrefix) - keyPuts0)
		if n.paid > 0 {
			f.paidChecks.Add(1)
			f.writesPaid.Add(writes)
			for m := f.maxWritesPaid.Load(); writes > m && !f.maxWritesPaid.CompareAndSwap(m, writes); m = f.maxWritesPaid.Load() {
			}
			if !fault && writes > writesBudget {
				r.failf("the paid check cost %d KV writes, budget %d", writes, writesBudget)
			}
		}
	}
	s.setFaults(0, 0)
	if r.cancelled {
		f.cancels.Add(1)
	}
	f.cancelsNotFound.Add(int64(r.notFound))
	if r.ref.ID != "" {
		f.sentNotRecorded.Add(int64(s.logs.unrecorded(r.ref.ID)))
	}
	if r.expired {
		f.exp.Add(1)
	}
	f.seeds.Add(1)
	f.events.Add(int64(sc.events()))
	f.forgeries.Add(int64(r.forgeries))
	f.requests.Add(s.requests.Load() - req0)
	f.redelivered.Add(s.redelivered.Load() - red0)
	f.kvInjected.Add(s.kvF.Injected() - kv0)
	f.sqlInjected.Add(s.sqlF.Injected() - sql0)
	f.outInjected.Add(s.outF.Injected() - out0)
	f.kvOps.Add(s.kvF.Ops() - kvOps0)
	f.sqlOps.Add(s.sqlF.Ops() - sqlOps0)
	f.outOps.Add(s.outF.Ops() - outOps0)
	for _, a := range s.hooks.of(r.token) {
		if a >= 500 || a == 0 {
			f.failedAnswers.Add(1)
		}
	}
	if testing.Verbose() && *seedFlag != 0 {
		t.Logf("seed %d: %s; statuses %v", seed, sc, r.statuses)
	}
	return r.violations
}

// pubkeyPrefix is the KV key prefix (to the first ':') of monobank's
// public key cache, counted apart from a check's writes: one per location
// and key, not per check.
var pubkeyPrefix, _, _ = strings.Cut(monobank.PubkeyPrefix, ":")

func failedSeeds(mu *sync.Mutex, failed *[]uint64) []uint64 {
	mu.Lock()
	defer mu.Unlock()
	return append([]uint64(nil), *failed...)
}
