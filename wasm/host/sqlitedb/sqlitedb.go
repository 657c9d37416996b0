// Package sqlitedb is the harness's SQL database: SQLite (modernc.org/sqlite,
// pure Go, so `make run` needs nothing but Go) holding the consistent
// store's schema (package sqlcas), the same one D1 holds on Cloudflare. The
// guest reaches it through the host ABI's OpSQL, one statement per call,
// as the Worker reaches D1.
package sqlitedb

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver

	"github.com/paylastic/edge/core/cas/sqlcas"
)

// Open opens or creates the database file at path, in WAL mode (readers do
// not wait for the writer) with a busy timeout (concurrent writers wait
// their turn instead of failing with SQLITE_BUSY), and applies the schema.
func Open(ctx context.Context, path string) (*sql.DB, error) {
	q := url.Values{"_pragma": {"journal_mode(WAL)", "busy_timeout(10000)", "synchronous(NORMAL)"}}
	return open(ctx, "file:"+path+"?"+q.Encode(), 0)
}

// Memory returns a fresh in-memory database with the schema. It has one
// connection, since each connection to ":memory:" is a database of its own;
// SQLite runs one statement at a time anyway.
func Memory(ctx context.Context) (*sql.DB, error) { return open(ctx, ":memory:", 1) }

func open(ctx context.Context, dsn string, conns int) (*sql.DB, error) {
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", dsn, err)
	}
	if conns > 0 {
		db.SetMaxOpenConns(conns)
	}
	if err := sqlcas.Migrate(ctx, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", dsn, err)
	}
	return db, nil
}
