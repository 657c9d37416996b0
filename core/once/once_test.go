package once

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/paylastic/edge/core/cas"
	"github.com/paylastic/edge/core/cas/castest"
	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/internal/testsupport"
)

var errPermanent = errors.New("refused for good")

func newGate(clock *testsupport.Clock) Gate {
	return Gate{Store: cas.NewMem(clock.Now), Now: clock.Now, Lease: time.Minute, Keep: 24 * time.Hour,
		Final: func(err error) bool { return errors.Is(err, errPermanent) }}
}

func TestDo(t *testing.T) {
	errTemporary := errors.New("try later")
	tests := []struct {
		name string
		// steps are run one after another on one key, advance apart
		results []error
		advance time.Duration
		wantRan []bool
	}{
		{"a done step is not run again", []error{nil, nil, nil}, time.Second, []bool{true, false, false}},
		{"a failed step is run again", []error{errTemporary, errTemporary, nil, nil}, time.Second, []bool{true, true, true, false}},
		{"a final error ends it", []error{errPermanent, nil}, time.Second, []bool{true, false}},
		{"remembered for Keep, then forgotten", []error{nil, nil}, 25 * time.Hour, []bool{true, true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := testsupport.NewClock(testsupport.T0)
			g := newGate(clock)
			for i, res := range tt.results {
				ran, err := g.Do(context.Background(), "k", func(context.Context) error { return res })
				if ran != tt.wantRan[i] {
					t.Errorf("step %d ran = %v, want %v", i, ran, tt.wantRan[i])
				}
				if ran && !errors.Is(err, res) || !ran && err != nil {
					t.Errorf("step %d error = %v (ran %v, step said %v)", i, err, ran, res)
				}
				clock.Advance(tt.advance)
			}
		})
	}
}

// TestDoWhileRunning: a second delivery while the first still runs is
// told to come back (ErrBusy, errs.Unavailable); once the first's claim
// lapses (its request died), the next delivery runs the step.
func TestDoWhileRunning(t *testing.T) {
	clock := testsupport.NewClock(testsupport.T0)
	g := newGate(clock)
	ctx := context.Background()
	_, err := g.Do(ctx, "k", func(context.Context) error {
		_, inner := g.Do(ctx, "k", func(context.Context) error {
			t.Error("ran while another request runs it")
			return nil
		})
		if !errors.Is(inner, ErrBusy) || errs.CodeOf(inner) != errs.Unavailable {
			t.Errorf("Do while running = %v, want ErrBusy (unavailable)", inner)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// a claim left by a request that died
	if _, err := g.put(ctx, "dead", running, 0); err != nil {
		t.Fatal(err)
	}
	if ran, err := g.Do(ctx, "dead", func(context.Context) error { return nil }); ran || !errors.Is(err, ErrBusy) {
		t.Errorf("Do within the lease = %v, %v; want busy", ran, err)
	}
	clock.Advance(g.Lease)
	if ran, err := g.Do(ctx, "dead", func(context.Context) error { return nil }); !ran || err != nil {
		t.Errorf("Do after the lease = %v, %v; want it run", ran, err)
	}
}

// TestDoInParallel: of 20 deliveries at once, one runs the step.
func TestDoInParallel(t *testing.T) {
	clock := testsupport.NewClock(testsupport.T0)
	g := newGate(clock)
	var runs atomic.Int32
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := g.Do(context.Background(), "k", func(context.Context) error {
				runs.Add(1)
				time.Sleep(10 * time.Millisecond)
				return nil
			})
			if err != nil && !errors.Is(err, ErrBusy) {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if n := runs.Load(); n != 1 {
		t.Errorf("ran %d times, want 1", n)
	}
}

// TestDoStorageDown: nothing runs when the claim cannot be written.
func TestDoStorageDown(t *testing.T) {
	clock := testsupport.NewClock(testsupport.T0)
	g := newGate(clock)
	g.Store = downStore{g.Store}
	ran, err := g.Do(context.Background(), "k", func(context.Context) error { return nil })
	if ran || errs.CodeOf(err) != errs.Unavailable {
		t.Errorf("Do with storage down = %v, %v; want not run, unavailable", ran, err)
	}
}

type downStore struct{ cas.Store }

func (downStore) Put(context.Context, string, []byte, int64, time.Time) (int64, error) {
	return 0, errors.New("store down")
}

// TestDoOutcomeWriteBlips: the step ran, and the first write of its outcome
// failed for a moment: it is written on a second try, so a redelivery after
// the lease does not run the step (send the message) again.
func TestDoOutcomeWriteBlips(t *testing.T) {
	clock := testsupport.NewClock(testsupport.T0)
	g := newGate(clock)
	bs := &castest.Faulty{Store: g.Store}
	g.Store = bs
	runs := 0
	step := func(context.Context) error {
		runs++
		bs.FailNextPut.Store(true) // the outcome's first write
		return nil
	}
	if ran, err := g.Do(context.Background(), "k", step); !ran || err != nil {
		t.Fatalf("Do = %v, %v; want ran, nil", ran, err)
	}
	clock.Advance(g.Lease + time.Second)
	if ran, err := g.Do(context.Background(), "k", step); ran || err != nil || runs != 1 {
		t.Errorf("redelivery after the lease = %v, %v with %d runs; want not run, nil, 1 run", ran, err, runs)
	}
}

// TestDone: only a key whose step finished (or ended for good) is done;
// one that failed, one under way, one never seen are for Do to decide.
func TestDone(t *testing.T) {
	ctx := context.Background()
	clock := testsupport.NewClock(testsupport.T0)
	g := newGate(clock)
	g.Do(ctx, "ok", func(context.Context) error { return nil })
	g.Do(ctx, "final", func(context.Context) error { return errPermanent })
	g.Do(ctx, "failed", func(context.Context) error { return errors.New("try later") })
	running := make(chan struct{})
	release := make(chan struct{})
	go g.Do(ctx, "running", func(context.Context) error { close(running); <-release; return nil })
	<-running
	defer close(release)
	got, err := g.Done(ctx, []string{"ok", "final", "failed", "running", "never"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || !got["ok"] || !got["final"] {
		t.Errorf("Done = %v, want ok and final only", got)
	}
	if ran, err := g.Do(ctx, "failed", func(context.Context) error { return nil }); !ran || err != nil {
		t.Errorf("the failed key after Done: ran %v, %v; want run again", ran, err)
	}
}

// TestLostClaim: a step that outlasts its lease loses the key to another
// request, which runs the step too and records it; the first one's Do says
// so with ErrLost, and the key is done.
func TestLostClaim(t *testing.T) {
	clock := testsupport.NewClock(testsupport.T0)
	g := newGate(clock)
	ctx := context.Background()
	runs := 0
	ran, err := g.Do(ctx, "k", func(ctx context.Context) error {
		runs++
		clock.Advance(g.Lease + time.Second)
		if ran, err := g.Do(ctx, "k", func(context.Context) error { runs++; return nil }); !ran || err != nil {
			t.Errorf("the request that took over: ran %v, %v", ran, err)
		}
		return nil
	})
	if !ran || !errors.Is(err, ErrLost) {
		t.Errorf("the held-up request: ran %v, %v; want ran and ErrLost", ran, err)
	}
	if runs != 2 {
		t.Errorf("the step ran %d times, want 2", runs)
	}
	if done, err := g.Done(ctx, []string{"k"}); err != nil || !done["k"] {
		t.Errorf("Done = %v, %v; want k done", done, err)
	}
}
