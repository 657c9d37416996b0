package abi

import "encoding/json"

// Record is one log record of the guest (OpLog): its slog level, message
// and attributes in order, group names joined to keys with dots. Values
// are JSON values (strings, numbers, booleans, null).
type Record struct {
	Level   int    `json:"level"` // slog.Level: -4 debug, 0 info, 4 warn, 8 error
	Message string `json:"msg"`
	Attrs   []Attr `json:"attrs,omitempty"`
}

// Attr is one attribute of a Record.
type Attr struct {
	Key   string          `json:"k"`
	Value json.RawMessage `json:"v"`
}
