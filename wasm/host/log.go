package host

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/paylastic/edge/wasm/abi"
)

// logRecord prints one record of the guest (abi.OpLog) through the
// harness's logger, once, marked src=guest: text on a terminal, JSON with
// `paylastic run -log-format json`, whichever handler Options.Log has.
func (cs *callState) logRecord(ctx context.Context, args []byte) error {
	var rec abi.Record
	if err := json.Unmarshal(args, &rec); err != nil {
		return fmt.Errorf("%w: log record: %v", errBadArgs, err)
	}
	lvl := slog.Level(rec.Level)
	hd := cs.log.Handler()
	if !hd.Enabled(ctx, lvl) {
		return nil
	}
	r := slog.NewRecord(time.Now(), lvl, rec.Message, 0)
	r.AddAttrs(slog.String("src", "guest"))
	for _, a := range rec.Attrs {
		r.AddAttrs(slog.Any(a.Key, jsonValue(a.Value)))
	}
	return hd.Handle(ctx, r)
}

// jsonValue decodes one attribute value; numbers stay as written (json.Number),
// so a large integer is not printed as 1e+06.
func jsonValue(raw json.RawMessage) any {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return string(raw)
	}
	return v
}
