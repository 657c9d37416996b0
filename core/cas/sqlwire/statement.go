package sqlwire

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/paylastic/edge/core/cas/sqlcas"
)

// Run sends one encoded Request across the boundary and returns the
// encoded Result, or the error the other side reported.
type Run func(request []byte) ([]byte, error)

// Statement runs each of package sqlcas's statements as one call of run.
// Like D1 it runs one statement at a time and offers no transaction, so
// code that works on one works on the other.
func Statement(run Run) sqlcas.Statement {
	return func(_ context.Context, q string, args []any, wantRows bool) (sqlcas.Result, error) {
		req := Request{Query: q, Rows: wantRows, Args: make([]Value, len(args))}
		for i, a := range args {
			v, err := ValueOf(a)
			if err != nil {
				return sqlcas.Result{}, err
			}
			req.Args[i] = v
		}
		in, err := json.Marshal(req)
		if err != nil {
			return sqlcas.Result{}, err
		}
		out, err := run(in)
		if err != nil {
			return sqlcas.Result{}, err
		}
		var res Result
		if err := json.Unmarshal(out, &res); err != nil {
			return sqlcas.Result{}, fmt.Errorf("sqlwire: decode result: %w", err)
		}
		rows := make([][]any, len(res.Rows))
		for i, row := range res.Rows {
			rows[i] = make([]any, len(row))
			for j, v := range row {
				if rows[i][j], err = v.Value(); err != nil {
					return sqlcas.Result{}, err
				}
			}
		}
		return sqlcas.Result{Changes: res.Changes, Rows: rows}, nil
	}
}
