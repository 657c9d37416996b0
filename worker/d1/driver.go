//go:build js && wasm

package d1

import (
	"database/sql"
	"database/sql/driver"
	"fmt"

	"github.com/paylastic/edge/core/cas/sqldriver"
	"github.com/paylastic/edge/worker/jshost"
)

// The database/sql driver (package sqldriver) over the pool's sql host
// operation: every statement is one call (no transactions, one statement at a
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
	w := jshost.Writer{B: make([]byte, 0, 24+len(d.name)+len(q)+len(b))}
	w.Text(d.name).Text(q).Bytes(b).Flag(wantRows)
	ans, err := jshost.Call(jshost.OpSQL, w.B)
	if err != nil {
		return sqldriver.Result{}, fmt.Errorf("d1 %s: %w", d.name, err)
	}
	res, err := decodeResult(ans)
	if err != nil {
		return sqldriver.Result{}, fmt.Errorf("d1 %s: %w", d.name, err)
	}
	return sqldriver.Result{Changes: res.changes, Columns: res.columns, Rows: res.rows}, nil
}
