package e2e

import (
	"strings"
	"testing"

	"github.com/paylastic/edge/core/kv"
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

// checkState reads a check's state record straight from the guest's KV.
func checkState(t testing.TB, e *hosttest.Env, id string) stateView {
	t.Helper()
	var st stateView
	if err := kv.GetJSON(t.Context(), e.KV.Store, "s:"+id, &st); err != nil {
		t.Fatalf("state of %s: %v", id, err)
	}
	return st
}
