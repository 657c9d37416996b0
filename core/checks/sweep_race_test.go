package checks

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/paylastic/edge/core/cas"
	"github.com/paylastic/edge/core/check"
)

// raceStore runs before once, right before the first Put of key: another
// request's write landing between this request's read and its write.
type raceStore struct {
	cas.Store
	key    string
	before func()
	once   sync.Once
}

func (s *raceStore) Put(ctx context.Context, key string, value []byte, version int64, expires time.Time) (int64, error) {
	if key == s.key {
		s.once.Do(s.before)
	}
	return s.Store.Put(ctx, key, value, version, expires)
}

// TestSweepExpiryLosesToACancel: the operator cancels a check at the moment
// the scheduled pass expires it. The cancel wins the conditional write; the
// pass finds the check no longer open, which is no failure of the pass.
// Found by the reliability suite (TestOrderings seeds 30 and 5035: two
// passes at once, the second's move to expired refused).
func TestSweepExpiryLosesToACancel(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	p := f.create(t, "10", "telegram:42:9")
	r := p.Check.Ref()
	pass := *f.svc
	pass.States = &raceStore{Store: f.cas, key: stateKey(r.ID), before: func() {
		if _, err := f.svc.Cancel(ctx, f.op, r); err != nil {
			t.Errorf("cancel: %v", err)
		}
	}}
	f.now = f.now.Add(31 * time.Minute)
	rep, err := pass.Sweep(ctx, f.now)
	if err != nil || rep.Failed != 0 || rep.Expired != 0 {
		t.Fatalf("sweep = %+v, %v; want no failure and nothing expired", rep, err)
	}
	if st, _ := f.svc.State(ctx, r); st.Status != check.Cancelled || len(st.Pending) != 0 {
		t.Fatalf("state = %+v; want cancelled, nothing to tell", st)
	}
}
