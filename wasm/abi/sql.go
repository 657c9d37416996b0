package abi

import (
	"fmt"
)

// OpSQL runs one SQL statement on the harness's database (SQLite holding
// the consistent store's schema), as the Worker runs one on D1: the guest's
// database/sql driver sends every statement through it, so package sqlcas
// runs unchanged in the guest. It is an operation of host_call like those
// listed in the package documentation:
//
//	OpSQL  SQLRequest (JSON) → SQLResult (JSON)
//
// One statement per call and no transactions, as on D1. A failed statement
// is an Error with CodeUnavailable and SQLite's message; a malformed
// request, CodeBadRequest.
const OpSQL uint32 = 16

// SQLRequest is one statement and its arguments (?1, ?2, … in order).
type SQLRequest struct {
	Query string     `json:"query"`
	Args  []SQLValue `json:"args,omitempty"`
	// Rows asks for the statement's rows (database/sql Query, also for a
	// write with RETURNING); otherwise only its count of changed rows
	// (Exec).
	Rows bool `json:"rows,omitempty"`
}

// SQLResult is what a statement gave: its rows (when asked for) or the
// number of rows it inserted, updated or deleted.
type SQLResult struct {
	Columns []string     `json:"columns,omitempty"`
	Rows    [][]SQLValue `json:"rows,omitempty"`
	Changes int64        `json:"changes"`
}

// SQLValue is one SQLite value. T is its storage class: "null", "int",
// "real", "text" or "blob"; the matching field holds it. The explicit class
// keeps an empty blob apart from NULL and an integer apart from a real.
type SQLValue struct {
	T string  `json:"t"`
	I int64   `json:"i,omitempty"`
	F float64 `json:"f,omitempty"`
	S string  `json:"s,omitempty"`
	B []byte  `json:"b,omitempty"`
}

// SQLValueOf encodes a database/sql driver value: nil, int64, float64, bool
// (as 0 or 1), string or []byte. Anything else (time.Time) is an error, as
// it is on D1, so the harness takes nothing the Worker would refuse.
func SQLValueOf(v any) (SQLValue, error) {
	switch v := v.(type) {
	case nil:
		return SQLValue{T: "null"}, nil
	case int64:
		return SQLValue{T: "int", I: v}, nil
	case float64:
		return SQLValue{T: "real", F: v}, nil
	case bool:
		if v {
			return SQLValue{T: "int", I: 1}, nil
		}
		return SQLValue{T: "int"}, nil
	case string:
		return SQLValue{T: "text", S: v}, nil
	case []byte:
		return SQLValue{T: "blob", B: v}, nil
	}
	return SQLValue{}, fmt.Errorf("abi: sql value of type %T", v)
}

// Value decodes v as a driver value (nil, int64, float64, string, []byte).
func (v SQLValue) Value() (any, error) {
	switch v.T {
	case "null":
		return nil, nil
	case "int":
		return v.I, nil
	case "real":
		return v.F, nil
	case "text":
		return v.S, nil
	case "blob":
		if v.B == nil {
			return []byte{}, nil
		}
		return v.B, nil
	}
	return nil, fmt.Errorf("abi: sql value of class %q", v.T)
}
