package sqlwire

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// Run sends one encoded Request across the boundary and returns the
// encoded Result, or the error the other side reported.
type Run func(request []byte) ([]byte, error)

// Open returns a database whose every statement is one call of run. Like
// D1 it runs one statement at a time and offers no transaction, so code
// that works on one works on the other.
func Open(run Run) *sql.DB { return sql.OpenDB(connector{run}) }

type connector struct{ run Run }

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

var errNoTx = errors.New("sqlwire: no transactions (one statement at a time, as on D1)")

type conn struct{ run Run }

func (c conn) Prepare(q string) (driver.Stmt, error) { return stmt{c, q}, nil }
func (c conn) PrepareContext(_ context.Context, q string) (driver.Stmt, error) {
	return stmt{c, q}, nil
}
func (conn) Close() error              { return nil }
func (conn) Begin() (driver.Tx, error) { return nil, errNoTx }

// CheckNamedValue accepts what ValueOf encodes (after database/sql's
// default conversions), and refuses named arguments: D1 takes none.
func (conn) CheckNamedValue(nv *driver.NamedValue) error {
	if nv.Name != "" {
		return fmt.Errorf("sqlwire: named argument %s", nv.Name)
	}
	v, err := driver.DefaultParameterConverter.ConvertValue(nv.Value)
	if err != nil {
		return err
	}
	if _, err := ValueOf(v); err != nil {
		return err
	}
	nv.Value = v
	return nil
}

func (c conn) ExecContext(_ context.Context, q string, args []driver.NamedValue) (driver.Result, error) {
	res, err := c.send(Request{Query: q}, args)
	if err != nil {
		return nil, err
	}
	return result(res.Changes), nil
}

func (c conn) QueryContext(_ context.Context, q string, args []driver.NamedValue) (driver.Rows, error) {
	res, err := c.send(Request{Query: q, Rows: true}, args)
	if err != nil {
		return nil, err
	}
	return &rows{res: res}, nil
}

// send sends one statement across.
func (c conn) send(req Request, args []driver.NamedValue) (Result, error) {
	for _, a := range args {
		v, err := ValueOf(a.Value)
		if err != nil {
			return Result{}, err
		}
		req.Args = append(req.Args, v)
	}
	in, err := json.Marshal(req)
	if err != nil {
		return Result{}, err
	}
	out, err := c.run(in)
	if err != nil {
		return Result{}, err
	}
	var res Result
	if err := json.Unmarshal(out, &res); err != nil {
		return Result{}, fmt.Errorf("sqlwire: decode result: %w", err)
	}
	return res, nil
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

// result is the number of rows a statement changed.
type result int64

func (result) LastInsertId() (int64, error) {
	return 0, errors.New("sqlwire: LastInsertId is not offered (use RETURNING)")
}
func (r result) RowsAffected() (int64, error) { return int64(r), nil }

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
		x, err := v.Value()
		if err != nil {
			return err
		}
		dest[j] = x
	}
	r.i++
	return nil
}
