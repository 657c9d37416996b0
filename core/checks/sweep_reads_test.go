package checks

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/paylastic/edge/core/cas/castest"
)

// The scheduled pass reads the states of a day's checks in one GetMany, not
// one Get per check: on the Worker each read is a D1 round trip.
func TestSweepReadsStatesAtOnce(t *testing.T) {
	f := newFixture(t)
	for i := range 5 {
		f.create(t, "10", fmt.Sprintf("telegram:42:%d", i))
	}
	reads := &castest.Calls{Store: f.cas}
	f.svc.States = reads
	f.now = f.now.Add(time.Minute) // nothing to do: open, not expired
	rep, err := f.svc.Sweep(context.Background(), f.now)
	if err != nil || rep.Seen != 5 || rep.Expired != 0 {
		t.Fatalf("sweep = %+v, %v; want 5 seen, none expired", rep, err)
	}
	if g, m := reads.Gets.Load(), reads.GetManys.Load(); g != 0 || m != 1 {
		t.Errorf("sweep of 5 checks read %d states one by one and %d batches; want 0 and 1 (for the one day that has checks)", g, m)
	}
}
