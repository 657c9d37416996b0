// Package sqldriver is a database/sql driver whose every statement is one
// call of a function, with no transactions and no named arguments: the
// shape of Cloudflare D1 (https://developers.cloudflare.com/d1/worker-api/),
// which runs one statement at a time. The harness's guest (package sqlwire,
// JSON to its host's SQLite) and the Worker (package worker/d1, bytes to D1)
// each supply only the call, so package sqlcas runs on the same driver on
// both.
package sqldriver

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
)

// Statement runs one statement q with its arguments (?1, ?2, … in order;
// each nil, int64, float64, bool, string or []byte): for its rows when rows
// is true (database/sql Query, also a write with RETURNING), else for its
// count of changed rows (Exec).
type Statement func(q string, args []driver.NamedValue, rows bool) (Result, error)

// Result is what a statement gave: its rows (when asked for), each value a
// driver value (nil, int64, float64, string or []byte), or the number of
// rows it inserted, updated or deleted.
type Result struct {
	Changes int64
	Columns []string
	Rows    [][]any
}

// Open returns a database whose every statement is one call of run. name
// begins the driver's own errors ("d1: no transactions …").
func Open(name string, run Statement) *sql.DB {
	return sql.OpenDB(connector{name, run})
}

type connector conn

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

type conn struct {
	name string
	run  Statement
}

func (c conn) Prepare(q string) (driver.Stmt, error) { return stmt{c, q}, nil }
func (c conn) PrepareContext(_ context.Context, q string) (driver.Stmt, error) {
	return stmt{c, q}, nil
}
func (conn) Close() error { return nil }
func (c conn) Begin() (driver.Tx, error) {
	return nil, fmt.Errorf("%s: no transactions (one statement at a time, as on D1)", c.name)
}

// CheckNamedValue accepts what D1 takes (after database/sql's default
// conversions): nil, int64, float64, bool, string or []byte. It refuses
// named arguments and anything else (time.Time): D1 takes none, so the
// harness takes nothing the Worker would refuse.
func (c conn) CheckNamedValue(nv *driver.NamedValue) error {
	if nv.Name != "" {
		return fmt.Errorf("%s: named argument %s", c.name, nv.Name)
	}
	v, err := driver.DefaultParameterConverter.ConvertValue(nv.Value)
	if err != nil {
		return err
	}
	switch v.(type) {
	case nil, int64, float64, bool, string, []byte:
	default:
		return fmt.Errorf("%s: sql value of type %T", c.name, v)
	}
	nv.Value = v
	return nil
}

func (c conn) ExecContext(_ context.Context, q string, args []driver.NamedValue) (driver.Result, error) {
	res, err := c.run(q, args, false)
	if err != nil {
		return nil, err
	}
	return changes{c.name, res.Changes}, nil
}

func (c conn) QueryContext(_ context.Context, q string, args []driver.NamedValue) (driver.Rows, error) {
	res, err := c.run(q, args, true)
	if err != nil {
		return nil, err
	}
	return &rows{res: res}, nil
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
type changes struct {
	name string
	n    int64
}

func (c changes) LastInsertId() (int64, error) {
	return 0, errors.New(c.name + ": LastInsertId is not offered (use RETURNING)")
}
func (c changes) RowsAffected() (int64, error) { return c.n, nil }

// rows are a statement's rows, all received at once.
type rows struct {
	res Result
	i   int
}

func (r *rows) Columns() []string { return r.res.Columns }
func (r *rows) Close() error      { return nil }
func (r *rows) Next(dest []driver.Value) error {
	if r.i == len(r.res.Rows) {
		return io.EOF
	}
	for j, v := range r.res.Rows[r.i] {
		dest[j] = v
	}
	r.i++
	return nil
}
