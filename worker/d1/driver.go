//go:build js && wasm

package d1

import (
	"database/sql"
	"database/sql/driver"
	"fmt"
	"syscall/js"

	"github.com/paylastic/edge/core/cas/sqldriver"
	"github.com/paylastic/edge/worker/jshost"
)

// The database/sql driver (package sqldriver) over the pool's sql host
// function: every statement is one call (no transactions, one statement at a
// time, as on D1), with the arguments and the result in wire.go's bytes.
func (d *DB) open() *sql.DB { return sqldriver.Open("d1", d.statement) }

// statement runs q with args on D1: raw() for its rows, else run().
func (d *DB) statement(q string, args []driver.NamedValue, wantRows bool) (sqldriver.Result, error) {
	vals := make([]any, len(args))
	for i, a := range args {
		vals[i] = a.Value
	}
	b, err := appendArgs(make([]byte, 0, 64), vals)
	if err != nil {
		return sqldriver.Result{}, err
	}
	v, err := jshost.Call("sql", d.db, d.query(q), jshost.Bytes(b), wantRows)
	if err != nil {
		return sqldriver.Result{}, fmt.Errorf("d1 %s: %w", d.name, err)
	}
	res, err := decodeResult(jshost.GoBytes(v[0]))
	if err != nil {
		return sqldriver.Result{}, fmt.Errorf("d1 %s: %w", d.name, err)
	}
	return sqldriver.Result{Changes: res.changes, Columns: res.columns, Rows: res.rows}, nil
}

// query is q as a JavaScript string, made once per statement text: the
// product runs a handful of them, over and over.
func (d *DB) query(q string) js.Value {
	d.mu.Lock()
	defer d.mu.Unlock()
	v, ok := d.queries[q]
	if !ok {
		v = js.ValueOf(q)
		d.queries[q] = v
	}
	return v
}
