// Package once runs a step at most once per key, across every request and
// every instance: a messenger's update handled once however often it is
// delivered, a daily report sent once however many scheduled passes run.
//
// A Gate keeps one small record per key in the consistent store (package
// cas): "running" while a request does the step, "done" after, "failed"
// when it failed in a way worth trying again. Claiming is a conditional
// write, so of requests racing on one key exactly one runs the step; the
// others learn it is done (nothing to do) or under way (ErrBusy: the
// messenger should deliver it again later). A request that dies while
// running leaves its claim, which lapses after Lease: the next delivery
// runs the step.
package once

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/paylastic/edge/core/cas"
	"github.com/paylastic/edge/core/errs"
)

// ErrBusy is wrapped in the errs.Unavailable that Do returns while another
// request holds the key's claim.
var ErrBusy = errors.New("once: another request is doing it")

// ErrLost is wrapped in what Do returns when the step ran but its claim had
// lapsed and another request took the key meanwhile: that request decides
// the key's outcome, and the step may have been done twice (the one
// duplicate a lease allows: a step that outlasted it).
var ErrLost = errors.New("once: the claim lapsed and another request took it")

// Gate runs steps once per key. Store, Now, Lease and Keep are required.
type Gate struct {
	Store cas.Store
	Now   func() time.Time
	// Lease is how long a claim holds before another request may take it
	// over (the request that took it died). It must exceed the longest a
	// step runs.
	Lease time.Duration
	// Keep is how long a key is remembered once done: longer than anyone
	// redelivers it.
	Keep time.Duration
	// Final reports whether a step's error ends the step for good (done,
	// not tried again). Nil: only success does.
	Final func(error) bool
}

// mark is the record at a key.
type mark struct {
	State string `json:"s"` // running, done, failed
	At    int64  `json:"at"`
}

const (
	running = "running"
	done    = "done"
	failed  = "failed"
)

// Do runs step unless it ran for key already. It returns nil when the step
// is done (now or before), the step's error, an errs.Unavailable wrapping
// ErrBusy while another request runs it, or a storage error. ran reports
// whether this call ran the step.
func (g Gate) Do(ctx context.Context, key string, step func(context.Context) error) (ran bool, err error) {
	version, err := g.claim(ctx, key)
	if err != nil || version == 0 {
		return false, err
	}
	stepErr := step(ctx)
	state := done
	if stepErr != nil && (g.Final == nil || !g.Final(stepErr)) {
		state = failed
	}
	if err := g.finish(ctx, key, state, version); err != nil {
		if errors.Is(err, cas.ErrConflict) {
			err = fmt.Errorf("%w: %w", ErrLost, err)
		}
		// the step ran; a redelivery after Lease runs it again
		return true, errors.Join(stepErr, fmt.Errorf("once: record %s %s: %w", key, state, err))
	}
	return true, stepErr
}

// Done reports which of keys are done, read at once (at most
// cas.MaxGetMany keys): a caller with many keys to look at, most of them
// done long ago (the day's reports, on every pass until midnight), skips
// those without a claim and a read each. A key it does not report done
// goes through Do as usual: Done is a shortcut, never the decision.
func (g Gate) Done(ctx context.Context, keys []string) (map[string]bool, error) {
	recs, err := g.Store.GetMany(ctx, keys)
	if err != nil {
		return nil, errs.Storage(fmt.Errorf("once: read %d keys: %w", len(keys), err))
	}
	out := make(map[string]bool, len(recs))
	for k, rec := range recs {
		var m mark
		if json.Unmarshal(rec.Value, &m) == nil && m.State == done {
			out[k] = true
		}
	}
	return out, nil
}

// finishTries bounds the writes of a step's outcome. The step has run (a
// message may be out): a storage error that is gone a moment later must not
// leave the claim to lapse, or the next delivery runs the step again.
const finishTries = 3

// finish records the step's outcome over this request's claim, trying
// again after a storage error; a conflict (the claim lapsed and another
// request took it) is final.
func (g Gate) finish(ctx context.Context, key, state string, version int64) error {
	var err error
	for range finishTries {
		if _, err = g.put(ctx, key, state, version); err == nil || errors.Is(err, cas.ErrConflict) || ctx.Err() != nil {
			return err
		}
	}
	return err
}

// claim takes key for this request: the version of the claim, or 0 with a
// nil error when the step is done already.
func (g Gate) claim(ctx context.Context, key string) (int64, error) {
	for range 4 {
		v, err := g.put(ctx, key, running, 0)
		if !errors.Is(err, cas.ErrConflict) {
			return v, err
		}
		rec, err := g.Store.Get(ctx, key)
		if errors.Is(err, cas.ErrNotFound) {
			continue // expired meanwhile: claim it afresh
		}
		if err != nil {
			return 0, errs.Storage(fmt.Errorf("once: read %s: %w", key, err))
		}
		var m mark
		if err := json.Unmarshal(rec.Value, &m); err != nil {
			return 0, fmt.Errorf("once: %s: %w", key, err)
		}
		now := g.Now()
		switch {
		case m.State == done:
			return 0, nil
		case m.State == running && now.Before(time.UnixMilli(m.At).Add(g.Lease)):
			return 0, errs.Wrap(errs.Unavailable, ErrBusy, "being handled, try again later")
		}
		// failed, or a claim its request let lapse: take it over
		v, err = g.put(ctx, key, running, rec.Version)
		if !errors.Is(err, cas.ErrConflict) {
			return v, err
		}
	}
	return 0, errs.Wrap(errs.Unavailable, ErrBusy, "being handled, try again later")
}

// put writes key's mark at version: its new version, cas.ErrConflict, or a
// storage error.
func (g Gate) put(ctx context.Context, key, state string, version int64) (int64, error) {
	now := g.Now()
	b, _ := json.Marshal(mark{State: state, At: now.UnixMilli()})
	v, err := g.Store.Put(ctx, key, b, version, now.Add(g.Keep))
	if err != nil && !errors.Is(err, cas.ErrConflict) {
		return 0, errs.Storage(fmt.Errorf("once: write %s: %w", key, err))
	}
	return v, err
}
