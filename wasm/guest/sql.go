//go:build wasip1

package main

import (
	"database/sql"
	"time"

	"github.com/paylastic/edge/core/cas/sqlcas"
	"github.com/paylastic/edge/core/cas/sqlwire"
	"github.com/paylastic/edge/wasm/abi"
)

// hostCAS is the consistent store in the harness: package sqlcas, the same
// code and statements as the Worker's D1 store (worker/d1), every
// statement one OpSQL call to the host's SQLite.
func hostCAS(now func() time.Time) *sqlcas.Store { return sqlcas.New(hostDB(), now) }

// db is the instance's one database/sql handle over OpSQL. One, because
// sql.OpenDB starts a goroutine that lives as long as the handle: a
// handle per call would leave one running after every request (and the
// instance would be retired for it, see leftRunning). It holds no
// request's state: each statement is one host call in the current lease.
var db *sql.DB

func hostDB() *sql.DB {
	if db == nil {
		db = sqlwire.Open(func(req []byte) ([]byte, error) { return call(abi.OpSQL, req) })
	}
	return db
}
