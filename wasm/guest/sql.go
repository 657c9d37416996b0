//go:build wasip1

package main

import (
	"time"

	"github.com/paylastic/edge/core/cas/sqlcas"
	"github.com/paylastic/edge/core/cas/sqlwire"
	"github.com/paylastic/edge/wasm/abi"
)

// hostCAS is the consistent store in the harness: package sqlcas, the same
// code and statements as the Worker's D1 store (worker/d1), every
// statement one OpSQL call to the host's SQLite in the current lease. It
// holds no request's state, and starts no goroutine.
func hostCAS(now func() time.Time) *sqlcas.Store {
	return sqlcas.Over(sqlwire.Statement(func(req []byte) ([]byte, error) { return call(abi.OpSQL, req) }), now)
}
