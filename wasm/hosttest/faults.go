package hosttest

import (
	"context"
	"errors"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/paylastic/edge/core/kv"
	"github.com/paylastic/edge/internal/kvfault"
)

// ErrInjected is the error of an operation that Faults made fail.
var ErrInjected = errors.New("hosttest: injected fault")

// Faults makes a share of operations fail at random and delays each by up
// to a bound: the guest's KV (Options.KVFaults), its SQL statements
// (Options.SQLFaults) and its outbound requests (Outbound.Drop(f.Drop)).
// One Faults may serve several of them; it counts what it decided. The zero
// rate (the default) injects nothing, so a test can turn faults off to let
// the system settle and on again. It is safe for concurrent use.
type Faults struct {
	mu      sync.Mutex
	rng     *rand.Rand
	rate    float64
	latency time.Duration

	ops, injected atomic.Int64
	puts          sync.Map // KV puts by key prefix (up to the first ':'), *atomic.Int64
}

// NewFaults returns faults drawn from a source seeded with seed (a
// failing run's seed replays the same decisions as far as goroutines take
// the same turns), off until Set.
func NewFaults(seed uint64) *Faults {
	return &Faults{rng: rand.New(rand.NewPCG(seed, 0x6661756c7473))}
}

// Reseed restarts the decisions from seed (for one seed of many on one
// harness).
func (f *Faults) Reseed(seed uint64) {
	f.mu.Lock()
	f.rng = rand.New(rand.NewPCG(seed, 0x6661756c7473))
	f.mu.Unlock()
}

// Set makes each later operation fail with probability rate and wait a
// random time up to latency first.
func (f *Faults) Set(rate float64, latency time.Duration) {
	f.mu.Lock()
	f.rate, f.latency = rate, latency
	f.mu.Unlock()
}

// Fail decides one operation: it waits the drawn latency and reports
// whether the operation is to fail.
func (f *Faults) Fail() bool {
	f.mu.Lock()
	fail := f.rate > 0 && f.rng.Float64() < f.rate
	var wait time.Duration
	if f.latency > 0 {
		wait = time.Duration(f.rng.Int64N(int64(f.latency)))
	}
	f.mu.Unlock()
	f.ops.Add(1)
	if wait > 0 {
		time.Sleep(wait)
	}
	if fail {
		f.injected.Add(1)
	}
	return fail
}

// Drop is Fail in the shape Outbound.Drop takes.
func (f *Faults) Drop(*http.Request) bool { return f.Fail() }

// Ops is the number of operations decided, Injected of those made to fail.
func (f *Faults) Ops() int64      { return f.ops.Load() }
func (f *Faults) Injected() int64 { return f.injected.Load() }

// Puts is the number of KV puts of keys that start with prefix and a ':'
// (for example "i" for i:…), failed ones included.
func (f *Faults) Puts(prefix string) int64 {
	if n, ok := f.puts.Load(prefix); ok {
		return n.(*atomic.Int64).Load()
	}
	return 0
}

// AllPuts is the number of KV puts of every key.
func (f *Faults) AllPuts() int64 {
	var sum int64
	f.puts.Range(func(_, n any) bool { sum += n.(*atomic.Int64).Load(); return true })
	return sum
}

func (f *Faults) countPut(key string) {
	p, _, _ := strings.Cut(key, ":")
	n, _ := f.puts.LoadOrStore(p, new(atomic.Int64))
	n.(*atomic.Int64).Add(1)
}

// kvWith wraps s with f's faults; nil f leaves s as it is. Every put is
// counted by key prefix before it is decided, failed ones included.
func kvWith(s kv.Store, f *Faults) kv.Store {
	if f == nil {
		return s
	}
	return kvfault.Store{Store: s, Fail: func(_ context.Context, op, key string) error {
		if op == kvfault.Put {
			f.countPut(key)
		}
		if f.Fail() {
			return ErrInjected
		}
		return nil
	}}
}
