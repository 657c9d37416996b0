//go:build js && wasm

package main

import (
	"bytes"
	"log/slog"
	"syscall/js"
)

// console writes each log record with one synchronous console.log call
// (looked up at each call, so that make worker-bench can count the lines).
// Writing to os.Stderr instead goes through Go's js file system shim: a
// js.Func made and released per line, a callback that re-enters the Go
// runtime, and wasm_exec.js's line buffer. That was about half of the
// 0.5 ms a logged line cost a request's CPU in workerd (RATIONALE).
type console struct{ console js.Value }

// Write takes one record: slog's handlers write a whole line at a time.
func (c console) Write(p []byte) (int, error) {
	c.console.Call("log", string(bytes.TrimSuffix(p, []byte("\n"))))
	return len(p), nil
}

// logger writes one JSON object per line to the console, which the Workers
// runtime keeps as the request's logs (wrangler tail, Workers Logs, which
// index JSON fields).
func logger() *slog.Logger {
	return slog.New(slog.NewJSONHandler(console{js.Global().Get("console")}, nil))
}
