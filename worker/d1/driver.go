//go:build js && wasm

package d1

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"syscall/js"

	"github.com/paylastic/edge/worker/jshost"
)

// The database/sql driver over the pool's sql host function: every
// statement is one call, as in package sqlwire (no transactions, one
// statement at a time, as on D1), with the arguments and the result in
// wire.go's bytes.
type connector struct{ d *DB }

var (
	_ driver.Connector          = connector{}
	_ driver.Driver             = connector{}
	_ driver.ExecerContext      = conn{}
	_ driver.QueryerContext     = conn{}
	_ driver.NamedValueChecker  = conn{}
	_ driver.ConnPrepareContext = conn{}
)

func (c connector) Connect(context.Context) (driver.Conn, error) { return conn(c), nil }
func (c connector) Driver() driver.Driver                        { return c }
func (c connector) Open(string) (driver.Conn, error)             { return conn(c), nil }

var errNoTx = errors.New("d1: no transactions (one statement at a time)")

type conn struct{ d *DB }

func (c conn) Prepare(q string) (driver.Stmt, error) { return stmt{c, q}, nil }
func (c conn) PrepareContext(_ context.Context, q string) (driver.Stmt, error) {
	return stmt{c, q}, nil
}
func (conn) Close() error              { return nil }
func (conn) Begin() (driver.Tx, error) { return nil, errNoTx }

// CheckNamedValue accepts what appendArgs encodes (after database/sql's
// default conversions), and refuses named arguments: D1 takes none.
func (conn) CheckNamedValue(nv *driver.NamedValue) error {
	if nv.Name != "" {
		return fmt.Errorf("d1: named argument %s", nv.Name)
	}
	v, err := driver.DefaultParameterConverter.ConvertValue(nv.Value)
	if err != nil {
		return err
	}
	switch v.(type) {
	case nil, int64, float64, bool, string, []byte:
	default:
		return fmt.Errorf("d1: sql value of type %T", v) // time.Time: D1 takes none
	}
	nv.Value = v
	return nil
}

func (c conn) ExecContext(_ context.Context, q string, args []driver.NamedValue) (driver.Result, error) {
	res, err := c.d.statement(q, args, false)
	if err != nil {
		return nil, err
	}
	return changes(res.changes), nil
}

func (c conn) QueryContext(_ context.Context, q string, args []driver.NamedValue) (driver.Rows, error) {
	res, err := c.d.statement(q, args, true)
	if err != nil {
		return nil, err
	}
	return &rows{res: res}, nil
}

// statement runs q with args on D1: raw() for its rows, else run().
func (d *DB) statement(q string, args []driver.NamedValue, wantRows bool) (result, error) {
	vals := make([]any, len(args))
	for i, a := range args {
		vals[i] = a.Value
	}
	b, err := appendArgs(make([]byte, 0, 64), vals)
	if err != nil {
		return result{}, err
	}
	v, err := jshost.Call("sql", d.db, d.query(q), jshost.Bytes(b), wantRows)
	if err != nil {
		return result{}, fmt.Errorf("d1 %s: %w", d.name, err)
	}
	res, err := decodeResult(jshost.GoBytes(v[0]))
	if err != nil {
		return result{}, fmt.Errorf("d1 %s: %w", d.name, err)
	}
	return res, nil
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

// stmt is a statement not yet sent: database/sql uses the conn's
// ExecContext and QueryContext, so these only complete the interface.
type stmt struct {
	c conn
	q string
}

func (stmt) Close() error  { return nil }
func (stmt) NumInput() int { return -1 }
func (s stmt) Exec(args []driver.Value) (driver.Result, error) {
	return s.c.ExecContext(context.Background(), s.q, named(args))
}
func (s stmt) Query(args []driver.Value) (driver.Rows, error) {
	return s.c.QueryContext(context.Background(), s.q, named(args))
}

func named(args []driver.Value) []driver.NamedValue {
	out := make([]driver.NamedValue, len(args))
	for i, a := range args {
		out[i] = driver.NamedValue{Ordinal: i + 1, Value: a}
	}
	return out
}

// changes is the number of rows a statement changed.
type changes int64

func (changes) LastInsertId() (int64, error) {
	return 0, errors.New("d1: LastInsertId is not offered (use RETURNING)")
}
func (c changes) RowsAffected() (int64, error) { return int64(c), nil }

// rows are a statement's rows, all received at once.
type rows struct {
	res result
	i   int
}

func (r *rows) Columns() []string { return r.res.columns }
func (r *rows) Close() error      { return nil }
func (r *rows) Next(dest []driver.Value) error {
	if r.i == len(r.res.rows) {
		return io.EOF
	}
	for j, v := range r.res.rows[r.i] {
		dest[j] = v
	}
	r.i++
	return nil
}
