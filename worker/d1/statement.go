//go:build js && wasm

package d1

import (
	"context"
	"fmt"

	"github.com/paylastic/edge/core/cas/sqlcas"
	"github.com/paylastic/edge/worker/jshost"
)

// statement runs q with args on D1 as one call of the pool's sql host
// operation: raw() for its rows, else run(), the arguments and the result
// in wire.go's bytes.
func (d *DB) statement(_ context.Context, q string, args []any, wantRows bool) (sqlcas.Result, error) {
	b, err := appendArgs(make([]byte, 0, 64), args)
	if err != nil {
		return sqlcas.Result{}, err
	}
	w := jshost.Writer{B: make([]byte, 0, 24+len(d.name)+len(q)+len(b))}
	w.Text(d.name).Text(q).Bytes(b).Flag(wantRows)
	ans, err := jshost.Call(jshost.OpSQL, w.B)
	if err != nil {
		return sqlcas.Result{}, fmt.Errorf("d1 %s: %w", d.name, err)
	}
	res, err := decodeResult(ans)
	if err != nil {
		return sqlcas.Result{}, fmt.Errorf("d1 %s: %w", d.name, err)
	}
	return res, nil
}
