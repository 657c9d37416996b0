//go:build wasip1

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/paylastic/edge/wasm/abi"
)

// hostLog is a slog.Handler that hands each record whole to the host
// (abi.OpLog), which prints it once in its own format: no text of ours
// wrapped in the host's.
type hostLog struct {
	attrs  []abi.Attr // from WithAttrs, keys already prefixed
	prefix string     // from WithGroup: "a.b."
}

var _ slog.Handler = hostLog{}

func (hostLog) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelInfo }

func (h hostLog) Handle(_ context.Context, r slog.Record) error {
	rec := abi.Record{Level: int(r.Level), Message: r.Message, Attrs: append([]abi.Attr(nil), h.attrs...)}
	r.Attrs(func(a slog.Attr) bool {
		rec.Attrs = appendAttr(rec.Attrs, h.prefix, a)
		return true
	})
	b, err := json.Marshal(rec)
	if err == nil {
		_, err = call(abi.OpLog, b)
	}
	if err != nil { // the host cannot take it: stderr still reaches it, line by line
		fmt.Fprintf(os.Stderr, "level=%s msg=%q log_error=%q\n", r.Level, r.Message, err)
	}
	return nil
}

func (h hostLog) WithAttrs(as []slog.Attr) slog.Handler {
	out := append([]abi.Attr(nil), h.attrs...)
	for _, a := range as {
		out = appendAttr(out, h.prefix, a)
	}
	return hostLog{attrs: out, prefix: h.prefix}
}

func (h hostLog) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	return hostLog{attrs: h.attrs, prefix: h.prefix + name + "."}
}

// appendAttr flattens a (groups become dotted keys) and encodes its value.
func appendAttr(out []abi.Attr, prefix string, a slog.Attr) []abi.Attr {
	a.Value = a.Value.Resolve()
	if a.Equal(slog.Attr{}) {
		return out
	}
	if a.Value.Kind() == slog.KindGroup {
		p := prefix
		if a.Key != "" {
			p += a.Key + "."
		}
		for _, g := range a.Value.Group() {
			out = appendAttr(out, p, g)
		}
		return out
	}
	return append(out, abi.Attr{Key: prefix + a.Key, Value: jsonValue(a.Value)})
}

func jsonValue(v slog.Value) json.RawMessage {
	var x any
	switch v.Kind() {
	case slog.KindString:
		x = v.String()
	case slog.KindInt64:
		x = v.Int64()
	case slog.KindUint64:
		x = v.Uint64()
	case slog.KindFloat64:
		x = v.Float64()
	case slog.KindBool:
		x = v.Bool()
	case slog.KindDuration:
		x = v.Duration().String()
	case slog.KindTime:
		x = v.Time().Format(time.RFC3339Nano)
	default:
		switch a := v.Any().(type) {
		case error:
			x = a.Error()
		case fmt.Stringer:
			x = a.String()
		default:
			x = fmt.Sprint(a)
		}
	}
	b, err := json.Marshal(x)
	if err != nil {
		b, _ = json.Marshal(fmt.Sprint(x))
	}
	return b
}
