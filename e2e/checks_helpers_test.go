package e2e

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/paylastic/edge/core/cas"
	"github.com/paylastic/edge/wasm/hosttest"
)

// checkIDs lists the ids of the checks in the guest's KV (keys i:…:{id}).
func checkIDs(t testing.TB, e *hosttest.Env) []string {
	t.Helper()
	var ids []string
	cursor := ""
	for {
		p, err := e.KV.Store.List(t.Context(), "i:", cursor, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range p.Keys {
			parts := strings.Split(k.Name, ":")
			ids = append(ids, parts[len(parts)-1])
		}
		if p.Complete {
			return ids
		}
		cursor = p.Cursor
	}
}

// stateView is the part of a check's state record the tests look at.
type stateView struct {
	Status   string   `json:"status"`
	Notified []string `json:"notified"`
	Pending  []struct {
		Kind string `json:"kind"`
	} `json:"pending"`
}

// checkState reads a check's state record straight from the guest's
// consistent store.
func checkState(t testing.TB, e *hosttest.Env, id string) stateView {
	t.Helper()
	var st stateView
	readState(t, e.States, id, &st)
	return st
}

// readState decodes the state record of check id (key s:{id}) into v.
func readState(t testing.TB, states cas.Store, id string, v any) {
	t.Helper()
	rec, err := states.Get(t.Context(), "s:"+id)
	if err != nil {
		t.Fatalf("state of %s: %v", id, err)
	}
	if err := json.Unmarshal(rec.Value, v); err != nil {
		t.Fatalf("state of %s: %v", id, err)
	}
}

// stateVersion is the version of check id's state record: every write adds one to its version
// (package cas), so the difference of two readings counts the writes in
// between.
func stateVersion(t testing.TB, states cas.Store, id string) int64 {
	t.Helper()
	rec, err := states.Get(t.Context(), "s:"+id)
	if err != nil {
		t.Fatalf("state of %s: %v", id, err)
	}
	return rec.Version
}
