//go:build js && wasm

// Package d1 opens the Worker's D1 database binding
// (https://developers.cloudflare.com/d1/worker-api/) as the product's
// consistent store: package sqlcas, every statement one call of the pool's
// sql host operation (worker/js/pool.mjs, jshost.OpSQL; statement.go):
// prepare, bind, run() or raw() in JavaScript, the arguments and the result
// in a few bytes (wire.go). So the Worker runs the same statements as the
// harness's guest does on SQLite (which takes them over package sqlwire's
// JSON).
//
// Not syumai's cloudflare/d1 driver: it awaits each statement's promise
// from Go, which leaves a pair of callbacks and their references behind per
// statement in a long-lived instance (see package jshost). What D1 answers,
// as measured in workerd (worker/storebench): run()'s meta.changes is 0
// when a conditional UPDATE matched nothing; INTEGER comes back as a
// JavaScript number, exact up to 2^53 (sqlcas's versions and millisecond
// expiries stay far below); a failed statement is an error reading
// "D1_ERROR: … SQLITE_ERROR". There are no transactions, which sqlcas never
// needs: each of its operations is one statement.
package d1

import (
	"fmt"
	"time"

	"github.com/paylastic/edge/core/cas/sqlcas"
	"github.com/syumai/workers/cloudflare"
)

// Binding is the D1 binding's name in wrangler.toml ([[d1_databases]]).
const Binding = "DB"

// DB is one D1 binding, looked up again when the env changes (Refresh),
// as package cfkv does for KV.
type DB struct {
	name string
}

// Open binds the D1 database named binding. It fails when the binding is
// not configured, and panics outside a Worker event.
func Open(binding string) (*DB, error) {
	d := &DB{name: binding}
	if err := d.Refresh(); err != nil {
		return nil, err
	}
	return d, nil
}

// Refresh checks that the current event's env has the binding (the pool
// looks it up by name in the env of the event that runs a statement).
func (d *DB) Refresh() error {
	b := cloudflare.GetBinding(d.name)
	if b.IsUndefined() || b.IsNull() {
		return fmt.Errorf("bind d1 database %s: no such binding (wrangler.toml [[d1_databases]])", d.name)
	}
	return nil
}

// Store returns the consistent store on d, reading the time from now. The
// schema must have been applied (core/cas/sqlcas/schema.sql with wrangler
// d1 execute).
func (d *DB) Store(now func() time.Time) *sqlcas.Store {
	return sqlcas.Over(d.statement, now)
}
