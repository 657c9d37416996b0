package checks

import (
	"context"
	"encoding/binary"
	"fmt"
	"sort"
	"time"

	"github.com/paylastic/edge/core/cas"
	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/ids"
	"github.com/paylastic/edge/core/kv"
	"github.com/paylastic/edge/core/merchant"
)

// Handle is a compact handle of a check for a messenger button (Telegram
// callback data is at most 64 bytes): id, creation and expiry. It is not
// signed; Lookup only finds checks of the operator who presses the button.
func Handle(r check.Ref) string {
	b, _ := ids.Decode(r.ID, check.IDBytes)
	b = binary.BigEndian.AppendUint32(b, uint32(r.Created.Unix()))
	b = binary.BigEndian.AppendUint32(b, uint32(r.Expires.Unix()))
	return ids.Encode(b)
}

// Lookup finds a check by a Handle among the checks op may see: its own,
// and for an owner every check of the shop (errs.NotFound otherwise).
func (s *Service) Lookup(ctx context.Context, op merchant.Operator, short string) (check.Check, error) {
	return s.lookupAs(ctx, op, short)
}

func unixAt(sec uint32) time.Time { return time.Unix(int64(sec), 0).UTC() }

// Summary is a check with its state, for lists.
type Summary struct {
	Check check.Check
	State check.State
}

// Recent returns the operator's checks created on the given UTC days (most
// recent first), at most limit of them (at most cas.MaxGetMany), with their
// states. Each costs one KV read of its record, plus one list per day and
// one read of all their states from the consistent store.
func (s *Service) Recent(ctx context.Context, op merchant.Operator, days []time.Time, limit int) ([]Summary, error) {
	opKey := merchant.OperatorID(s.Signer.Key(), op.Messenger, op.UserID)
	prefixes := make([]string, len(days))
	for i, d := range days {
		prefixes[i] = operatorDayPrefix(d, opKey)
	}
	lists, err := kv.ListMany(ctx, s.KV, prefixes)
	if err != nil {
		return nil, errs.Storage(err)
	}
	var keys []string
	for _, ks := range lists {
		keys = append(keys, ks...)
	}
	// newest expiry first: within one TTL that is newest creation first
	sort.Slice(keys, func(i, j int) bool {
		a, _ := parseCheckKey(keys[i])
		b, _ := parseCheckKey(keys[j])
		return a.Expires.After(b.Expires)
	})
	if limit <= 0 || limit > cas.MaxGetMany {
		limit = cas.MaxGetMany
	}
	if len(keys) > limit {
		keys = keys[:limit]
	}
	// The states are read while the records are (the keys carry the
	// checks' ids): on the Worker one wait for both batches of round trips.
	ids := make([]string, 0, len(keys))
	for _, k := range keys {
		if pk, ok := parseCheckKey(k); ok {
			ids = append(ids, pk.ID)
		}
	}
	type stateRecs struct {
		recs map[string]cas.Record
		err  error
	}
	statesCh := make(chan stateRecs, 1)
	go func() {
		recs, err := s.readStates(ctx, ids)
		statesCh <- stateRecs{recs, err}
	}()
	recs, err := kv.GetMany(ctx, s.KV, keys)
	stored := <-statesCh
	if err != nil {
		return nil, errs.Storage(err)
	}
	if stored.err != nil {
		return nil, stored.err
	}
	out := make([]Summary, 0, len(keys))
	refs := make([]check.Ref, 0, len(keys))
	for i, b := range recs {
		if b == nil {
			continue // listed but expired meanwhile
		}
		chk, err := s.Records.Decode(b)
		if err != nil {
			return nil, fmt.Errorf("check record %s: %w", keys[i], err)
		}
		out = append(out, Summary{Check: chk})
		refs = append(refs, chk.Ref())
	}
	states, err := s.statesFrom(ctx, refs, stored.recs)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].State = states[out[i].Check.ID]
	}
	return out, nil
}
