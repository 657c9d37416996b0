package abi

import "github.com/paylastic/edge/core/cas/sqlwire"

// OpSQL runs one SQL statement on the harness's database (SQLite holding
// the consistent store's schema), as the Worker runs one on D1: the guest's
// store (sqlcas over sqlwire.Statement) sends every statement through it,
// so package sqlcas runs unchanged in the guest. It is an operation of
// host_call like those listed in the package documentation:
//
//	OpSQL  SQLRequest (JSON) → SQLResult (JSON)
//
// One statement per call and no transactions, as on D1. A failed statement
// is an Error with CodeUnavailable and SQLite's message; a malformed
// request, CodeBadRequest.
const OpSQL uint32 = 16

// The wire types of OpSQL (package sqlwire).
type (
	SQLRequest = sqlwire.Request
	SQLResult  = sqlwire.Result
	SQLValue   = sqlwire.Value
)

// SQLValueOf encodes a statement's value (sqlwire.ValueOf).
func SQLValueOf(v any) (SQLValue, error) { return sqlwire.ValueOf(v) }
