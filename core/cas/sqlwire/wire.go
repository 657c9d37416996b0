// Package sqlwire carries SQL statements and their results across a boundary
// as JSON: from the harness's guest to its host's SQLite (the host ABI's
// OpSQL). Statement is the guest's side, one round trip per statement of
// package sqlcas, Serve the host's. One statement per call and no
// transactions, as on D1 (which the Worker reaches in bytes, package
// worker/d1), so sqlcas runs the same statements on both.
package sqlwire

import (
	"fmt"
)

// Request is one statement and its arguments (?1, ?2, … in order).
type Request struct {
	Query string  `json:"query"`
	Args  []Value `json:"args,omitempty"`
	// Rows asks for the statement's rows (database/sql Query, also for a
	// write with RETURNING); otherwise only its count of changed rows
	// (Exec).
	Rows bool `json:"rows,omitempty"`
}

// Result is what a statement gave: its rows (when asked for) or the
// number of rows it inserted, updated or deleted.
type Result struct {
	Rows    [][]Value `json:"rows,omitempty"`
	Changes int64     `json:"changes"`
}

// Value is one SQLite value. T is its storage class: "null", "int",
// "real", "text" or "blob"; the matching field holds it. The explicit class
// keeps an empty blob apart from NULL and an integer apart from a real.
type Value struct {
	T string  `json:"t"`
	I int64   `json:"i,omitempty"`
	F float64 `json:"f,omitempty"`
	S string  `json:"s,omitempty"`
	B []byte  `json:"b,omitempty"`
}

// ValueOf encodes a statement's value: nil, int64, float64, bool
// (as 0 or 1), string or []byte. Anything else (time.Time) is an error, as
// it is on D1, so the harness takes nothing the Worker would refuse.
func ValueOf(v any) (Value, error) {
	switch v := v.(type) {
	case nil:
		return Value{T: "null"}, nil
	case int64:
		return Value{T: "int", I: v}, nil
	case float64:
		return Value{T: "real", F: v}, nil
	case bool:
		if v {
			return Value{T: "int", I: 1}, nil
		}
		return Value{T: "int"}, nil
	case string:
		return Value{T: "text", S: v}, nil
	case []byte:
		return Value{T: "blob", B: v}, nil
	}
	return Value{}, fmt.Errorf("sqlwire: sql value of type %T", v)
}

// Value decodes v as a driver value (nil, int64, float64, string, []byte).
func (v Value) Value() (any, error) {
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
	return nil, fmt.Errorf("sqlwire: sql value of class %q", v.T)
}
