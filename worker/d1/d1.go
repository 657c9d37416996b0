//go:build js && wasm

// Package d1 opens the Worker's D1 database binding
// (https://developers.cloudflare.com/d1/worker-api/) as the product's
// consistent store: package sqlcas over syumai's database/sql driver
// (github.com/syumai/workers/cloudflare/d1, v0.33.0), so the Worker runs the
// same statements as the harness's SQLite.
//
// What the driver does, as measured in workerd (worker/storebench,
// worker/workertest TestD1Driver): Exec runs D1's run() and RowsAffected is
// its meta.changes (0 when a conditional UPDATE matched nothing); Query runs
// raw(); INTEGER comes back as a JavaScript number, so exact only up to
// 2^53 (sqlcas's versions and millisecond expiries stay far below); BLOB
// comes back as bytes (D1 hands it over as an array of numbers); a failed
// statement is an error reading "D1_ERROR: … SQLITE_ERROR". Transactions are
// not offered (BeginTx fails), which sqlcas never needs: each of its
// operations is one statement.
package d1

import (
	"database/sql"
	"fmt"
	"time"

	"github.com/paylastic/edge/core/cas/sqlcas"
	cfd1 "github.com/syumai/workers/cloudflare/d1"
)

// Binding is the D1 binding's name in wrangler.toml ([[d1_databases]]).
const Binding = "DB"

// Open returns the D1 database bound as binding. It fails when the binding
// is not configured, and panics outside a Worker request, as syumai's
// bindings do.
func Open(binding string) (*sql.DB, error) {
	c, err := cfd1.OpenConnector(binding)
	if err != nil {
		return nil, fmt.Errorf("bind d1 database %s: %w", binding, err)
	}
	return sql.OpenDB(c), nil
}

// Store returns the consistent store on the D1 database bound as binding,
// reading the time from now. The schema must have been applied
// (core/cas/sqlcas/schema.sql with wrangler d1 execute).
func Store(binding string, now func() time.Time) (*sqlcas.Store, error) {
	db, err := Open(binding)
	if err != nil {
		return nil, err
	}
	return sqlcas.New(db, now), nil
}
