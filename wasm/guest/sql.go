//go:build wasip1

package main

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/paylastic/edge/core/cas/sqlcas"
	"github.com/paylastic/edge/wasm/abi"
)

// hostCAS is the consistent store in the harness: package sqlcas, the same
// code and statements as the Worker's D1 store (worker/d1), over hostSQL.
func hostCAS(now func() time.Time) *sqlcas.Store {
	return sqlcas.New(sql.OpenDB(hostSQL{}), now)
}

// hostSQL is a database/sql driver whose every statement is one OpSQL call
// to the host's SQLite. Like syumai's D1 driver it runs one statement at a
// time and offers no transaction, so code that works here works on D1.
type hostSQL struct{}

var (
	_ driver.Connector          = hostSQL{}
	_ driver.Driver             = hostSQL{}
	_ driver.ExecerContext      = hostConn{}
	_ driver.QueryerContext     = hostConn{}
	_ driver.NamedValueChecker  = hostConn{}
	_ driver.ConnPrepareContext = hostConn{}
)

func (hostSQL) Connect(context.Context) (driver.Conn, error) { return hostConn{}, nil }
func (hostSQL) Driver() driver.Driver                        { return hostSQL{} }
func (hostSQL) Open(string) (driver.Conn, error)             { return hostConn{}, nil }

var errNoTx = errors.New("host sql: no transactions (one statement at a time, as on D1)")

type hostConn struct{}

func (hostConn) Prepare(q string) (driver.Stmt, error) { return hostStmt{q}, nil }
func (hostConn) PrepareContext(_ context.Context, q string) (driver.Stmt, error) {
	return hostStmt{q}, nil
}
func (hostConn) Close() error              { return nil }
func (hostConn) Begin() (driver.Tx, error) { return nil, errNoTx }

// CheckNamedValue accepts what abi.SQLValueOf encodes (after database/sql's
// default conversions), and refuses named arguments: D1 takes none.
func (hostConn) CheckNamedValue(nv *driver.NamedValue) error {
	if nv.Name != "" {
		return fmt.Errorf("host sql: named argument %s", nv.Name)
	}
	v, err := driver.DefaultParameterConverter.ConvertValue(nv.Value)
	if err != nil {
		return err
	}
	if _, err := abi.SQLValueOf(v); err != nil {
		return err
	}
	nv.Value = v
	return nil
}

func (hostConn) ExecContext(_ context.Context, q string, args []driver.NamedValue) (driver.Result, error) {
	res, err := runSQL(abi.SQLRequest{Query: q}, args)
	if err != nil {
		return nil, err
	}
	return hostResult(res.Changes), nil
}

func (hostConn) QueryContext(_ context.Context, q string, args []driver.NamedValue) (driver.Rows, error) {
	res, err := runSQL(abi.SQLRequest{Query: q, Rows: true}, args)
	if err != nil {
		return nil, err
	}
	return &hostRows{res: res}, nil
}

// runSQL sends one statement to the host.
func runSQL(req abi.SQLRequest, args []driver.NamedValue) (abi.SQLResult, error) {
	for _, a := range args {
		v, err := abi.SQLValueOf(a.Value)
		if err != nil {
			return abi.SQLResult{}, err
		}
		req.Args = append(req.Args, v)
	}
	in, err := json.Marshal(req)
	if err != nil {
		return abi.SQLResult{}, err
	}
	out, err := call(abi.OpSQL, in)
	if err != nil {
		return abi.SQLResult{}, err
	}
	var res abi.SQLResult
	if err := json.Unmarshal(out, &res); err != nil {
		return abi.SQLResult{}, fmt.Errorf("host sql: decode result: %w", err)
	}
	return res, nil
}

// hostStmt is a statement not yet sent: database/sql uses the conn's
// ExecContext and QueryContext, so these only complete the interface.
type hostStmt struct{ q string }

func (hostStmt) Close() error  { return nil }
func (hostStmt) NumInput() int { return -1 }
func (s hostStmt) Exec(args []driver.Value) (driver.Result, error) {
	return hostConn{}.ExecContext(context.Background(), s.q, named(args))
}
func (s hostStmt) Query(args []driver.Value) (driver.Rows, error) {
	return hostConn{}.QueryContext(context.Background(), s.q, named(args))
}

func named(args []driver.Value) []driver.NamedValue {
	out := make([]driver.NamedValue, len(args))
	for i, a := range args {
		out[i] = driver.NamedValue{Ordinal: i + 1, Value: a}
	}
	return out
}

// hostResult is the number of rows a statement changed.
type hostResult int64

func (hostResult) LastInsertId() (int64, error) {
	return 0, errors.New("host sql: LastInsertId is not offered (use RETURNING)")
}
func (r hostResult) RowsAffected() (int64, error) { return int64(r), nil }

// hostRows are a statement's rows, all received at once.
type hostRows struct {
	res abi.SQLResult
	i   int
}

func (r *hostRows) Columns() []string { return r.res.Columns }
func (r *hostRows) Close() error      { return nil }
func (r *hostRows) Next(dest []driver.Value) error {
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
