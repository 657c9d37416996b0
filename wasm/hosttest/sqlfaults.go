package hosttest

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"

	"github.com/paylastic/edge/core/cas/sqlcas"
	"github.com/paylastic/edge/wasm/host/sqlitedb"
)

// The SQL faults sit in a database/sql driver between database/sql and
// SQLite, so that everything above (the host's OpSQL, sqlwire, sqlcas in
// the guest) runs unchanged and sees a failed statement exactly as a failed
// D1 call: an error for that one statement. A statement that fails is not
// run at all, so an injected failure never hides a write that happened.

// noFaults marks a context whose statements Faults leaves alone.
type noFaults struct{}

// WithoutFaults returns a context whose SQL statements are never made to
// fail: for a test that reads Env.SQL or Env.States while faults are on
// (both share the guest's database and its faults).
func WithoutFaults(ctx context.Context) context.Context {
	return context.WithValue(ctx, noFaults{}, true)
}

func (f *Faults) failSQL(ctx context.Context) bool {
	if f == nil || ctx.Value(noFaults{}) != nil {
		return false
	}
	return f.Fail()
}

// openSQL opens the harness's in-memory SQLite, behind f's faults when f
// is set.
func openSQL(ctx context.Context, f *Faults) (*sql.DB, error) {
	if f == nil {
		return sqlitedb.Memory(ctx)
	}
	probe, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		return nil, fmt.Errorf("open faulty sqlite: %w", err)
	}
	drv := probe.Driver()
	probe.Close()
	db := sql.OpenDB(&faultyConnector{drv: drv, dsn: ":memory:", f: f})
	// one connection: every connection to ":memory:" is a database of its
	// own (as in sqlitedb.Memory); an injected error is never
	// driver.ErrBadConn, so database/sql keeps it
	db.SetMaxOpenConns(1)
	if err := sqlcas.Migrate(WithoutFaults(ctx), db); err != nil {
		db.Close()
		return nil, fmt.Errorf("open faulty sqlite: %w", err)
	}
	return db, nil
}

type faultyConnector struct {
	drv driver.Driver
	dsn string
	f   *Faults
}

func (c *faultyConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.drv.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	return &faultyConn{Conn: conn, f: c.f}, nil
}

func (c *faultyConnector) Driver() driver.Driver { return c.drv }

// faultyConn fails statements at the rate of its Faults. It passes the
// context-aware paths of database/sql through to the inner connection, and
// answers driver.ErrSkip where the inner one lacks them, so database/sql
// falls back exactly as it would without the wrapper.
type faultyConn struct {
	driver.Conn
	f *Faults
}

var (
	_ driver.ExecerContext      = (*faultyConn)(nil)
	_ driver.QueryerContext     = (*faultyConn)(nil)
	_ driver.ConnPrepareContext = (*faultyConn)(nil)
	_ driver.ConnBeginTx        = (*faultyConn)(nil)
)

func (c *faultyConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	ex, ok := c.Conn.(driver.ExecerContext)
	if !ok {
		return nil, driver.ErrSkip
	}
	if c.f.failSQL(ctx) {
		return nil, fmt.Errorf("exec: %w", ErrInjected)
	}
	return ex.ExecContext(ctx, query, args)
}

func (c *faultyConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	q, ok := c.Conn.(driver.QueryerContext)
	if !ok {
		return nil, driver.ErrSkip
	}
	if c.f.failSQL(ctx) {
		return nil, fmt.Errorf("query: %w", ErrInjected)
	}
	return q.QueryContext(ctx, query, args)
}

// PrepareContext is the path of a driver without ExecerContext or
// QueryerContext (and of db.Prepare): the fault is decided at prepare.
func (c *faultyConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	if c.f.failSQL(ctx) {
		return nil, fmt.Errorf("prepare: %w", ErrInjected)
	}
	if p, ok := c.Conn.(driver.ConnPrepareContext); ok {
		return p.PrepareContext(ctx, query)
	}
	return c.Conn.Prepare(query)
}

func (c *faultyConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if c.f.failSQL(ctx) {
		return nil, fmt.Errorf("begin: %w", ErrInjected)
	}
	if b, ok := c.Conn.(driver.ConnBeginTx); ok {
		return b.BeginTx(ctx, opts)
	}
	//lint:ignore SA1019 the fallback database/sql itself uses for a driver without BeginTx
	return c.Conn.Begin()
}

// ResetSession and IsValid keep database/sql's pooling decisions the inner
// connection's.
func (c *faultyConn) ResetSession(ctx context.Context) error {
	if r, ok := c.Conn.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

func (c *faultyConn) IsValid() bool {
	if v, ok := c.Conn.(driver.Validator); ok {
		return v.IsValid()
	}
	return true
}

// CheckNamedValue lets the inner driver convert arguments as it does
// without the wrapper.
func (c *faultyConn) CheckNamedValue(nv *driver.NamedValue) error {
	if ch, ok := c.Conn.(driver.NamedValueChecker); ok {
		return ch.CheckNamedValue(nv)
	}
	return driver.ErrSkip
}
