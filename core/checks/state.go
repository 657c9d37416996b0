package checks

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/paylastic/edge/core/cas"
	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/kv"
)

// A check's state lives in the consistent store (Service.States) at its
// state key: read with its version, written only if that version is still
// the stored one. Two requests that change one check at once (a bank
// callback and the buyer's result page, two tabs, two locations) cannot
// both win: the loser reads again and finds the change made, so a payment
// is recorded once and a notice is made, and claimed, once.

// maxTries bounds how often an update reads again after losing a race.
const maxTries = 8

// State reads the state of the check r names; a check nobody touched yet
// is open.
func (s *Service) State(ctx context.Context, r check.Ref) (check.State, error) {
	st, _, err := s.load(ctx, r)
	return st, err
}

// Snapshot is a check's state as one request read it, with its version: a
// request that reads the state to decide (the payment page's POST) and then
// changes it (Service.PayFrom) claims from this copy instead of reading it
// again. A copy gone stale costs what the read would have: the conditional
// write fails and the state is read as usual.
type Snapshot struct {
	State   check.State
	version int64
	read    bool
}

// Snapshot reads the state of the check r names, as State does, keeping
// its version for a write that follows.
func (s *Service) Snapshot(ctx context.Context, r check.Ref) (Snapshot, error) {
	st, version, err := s.load(ctx, r)
	if err != nil {
		return Snapshot{}, err
	}
	return Snapshot{State: st, version: version, read: true}, nil
}

// written is the copy a write starts from (nil for a zero Snapshot).
func (sn Snapshot) written() *written {
	if !sn.read {
		return nil
	}
	b, err := json.Marshal(sn.State)
	if err != nil {
		return nil // read it instead
	}
	return &written{value: b, version: sn.version}
}

// load reads a check's state and its version (0: none stored yet).
func (s *Service) load(ctx context.Context, r check.Ref) (check.State, int64, error) {
	rec, err := s.States.Get(ctx, stateKey(r.ID))
	switch {
	case errors.Is(err, cas.ErrNotFound):
		return s.legacy(ctx, r)
	case err != nil:
		return check.State{}, 0, errs.Storage(fmt.Errorf("read state of %s: %w", r.ID, err))
	}
	var st check.State
	if err := json.Unmarshal(rec.Value, &st); err != nil {
		return check.State{}, 0, fmt.Errorf("state of %s: %w", r.ID, err)
	}
	return st, rec.Version, nil
}

// legacy is the state of a check with none in the consistent store: a new
// one, or for a check from before the consistent store
// (Service.StatesInKVBefore) the one it kept in KV at s:{id}.
func (s *Service) legacy(ctx context.Context, r check.Ref) (check.State, int64, error) {
	if !r.Created.Before(s.StatesInKVBefore) {
		return check.NewState(), 0, nil
	}
	var st check.State
	err := kv.GetJSON(ctx, s.KV, stateKey(r.ID), &st)
	if errors.Is(err, kv.ErrNotFound) {
		return check.NewState(), 0, nil
	}
	if err != nil {
		return check.State{}, 0, errs.Storage(err)
	}
	return st, 0, nil
}

// update reads the check's state, lets f change it and writes it if
// nothing else wrote in between; otherwise it reads again and lets f run
// again on what is stored now. f reports whether it changed anything
// (nothing to write otherwise) and may refuse with an error. update returns
// the state as stored.
func (s *Service) update(ctx context.Context, r check.Ref, f func(st *check.State) (bool, error)) (check.State, error) {
	st, _, err := s.write(ctx, r, nil, f)
	return st, err
}

// written is a check's state as this request wrote it, and the version
// that write got. A follow-up write of the same request (the record of a
// delivery after the event that made the notice, of an attempt after its
// claim) starts from it instead of reading the state again: on the Worker
// every read of the consistent store is a D1 round trip, about a
// millisecond of the request's own CPU. If another request wrote in
// between, the conditional write fails and the state is read as usual.
type written struct {
	value   []byte
	version int64
}

// write is update starting from w, this request's last write of the state
// (nil: read it). A change f makes to that copy is written only if the
// state is still at that version; if f finds nothing to change there or
// refuses, the state is read and f runs again on it, since only what is
// stored may say that nothing is to be done. It returns what it wrote
// (nil if it wrote nothing), for the next follow-up.
func (s *Service) write(ctx context.Context, r check.Ref, w *written, f func(st *check.State) (bool, error)) (check.State, *written, error) {
	for range maxTries {
		var (
			st      check.State
			version int64
			err     error
		)
		known := w != nil
		if known {
			version = w.version
			if err = json.Unmarshal(w.value, &st); err != nil {
				known = false
			}
			w = nil // one try from the copy; after that, what is stored
		}
		if !known {
			if st, version, err = s.load(ctx, r); err != nil {
				return st, nil, err
			}
		}
		changed, err := f(&st)
		if known && (err != nil || !changed) {
			continue // only what is stored may say so: read it
		}
		if err != nil || !changed {
			return st, nil, err
		}
		b, err := json.Marshal(st)
		if err != nil {
			return st, nil, fmt.Errorf("state of %s: %w", r.ID, err)
		}
		v, err := s.States.Put(ctx, stateKey(r.ID), b, version, r.Created.Add(Retention))
		if errors.Is(err, cas.ErrConflict) {
			continue // another request changed it first: look again
		}
		if err != nil {
			return st, nil, errs.Storage(fmt.Errorf("write state of %s: %w", r.ID, err))
		}
		return st, &written{value: b, version: v}, nil
	}
	return check.State{}, nil, errs.Storage(fmt.Errorf("write state of %s: %d requests changed it meanwhile", r.ID, maxTries))
}

// StatesOf returns the states of checks, by id: at most cas.MaxGetMany.
func (s *Service) StatesOf(ctx context.Context, refs []check.Ref) (map[string]check.State, error) {
	ids := make([]string, len(refs))
	for i, r := range refs {
		ids[i] = r.ID
	}
	recs, err := s.readStates(ctx, ids)
	if err != nil {
		return nil, err
	}
	return s.statesFrom(ctx, refs, recs)
}

// readStates reads the stored states of the checks ids name, at once.
func (s *Service) readStates(ctx context.Context, ids []string) (map[string]cas.Record, error) {
	keys := make([]string, len(ids))
	for i, id := range ids {
		keys[i] = stateKey(id)
	}
	recs, err := s.States.GetMany(ctx, keys)
	if err != nil {
		return nil, errs.Storage(fmt.Errorf("read states: %w", err))
	}
	return recs, nil
}

// statesFrom is StatesOf's answer from the records readStates read: a
// check with none is new, or from before the consistent store.
func (s *Service) statesFrom(ctx context.Context, refs []check.Ref, recs map[string]cas.Record) (map[string]check.State, error) {
	out := make(map[string]check.State, len(refs))
	for _, r := range refs {
		rec, ok := recs[stateKey(r.ID)]
		if !ok {
			st, _, err := s.legacy(ctx, r)
			if err != nil {
				return nil, err
			}
			out[r.ID] = st
			continue
		}
		var st check.State
		if err := json.Unmarshal(rec.Value, &st); err != nil {
			return nil, fmt.Errorf("state of %s: %w", r.ID, err)
		}
		out[r.ID] = st
	}
	return out, nil
}
