package sqlwire

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/paylastic/edge/core/cas/sqlcas"
)

// ErrBadRequest is wrapped in Serve's error for a request it cannot decode.
var ErrBadRequest = errors.New("sqlwire: bad request")

// Serve runs one encoded Request on db (sqlcas.OnDB) and returns the
// encoded Result: the other side of Statement, for a host that holds the
// database. A request that cannot be decoded is an error wrapping
// ErrBadRequest.
func Serve(ctx context.Context, db *sql.DB, request []byte) ([]byte, error) {
	var req Request
	if err := json.Unmarshal(request, &req); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadRequest, err)
	}
	vals := make([]any, len(req.Args))
	for i, a := range req.Args {
		v, err := a.Value()
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrBadRequest, err)
		}
		vals[i] = v
	}
	out, err := sqlcas.OnDB(db)(ctx, req.Query, vals, req.Rows)
	if err != nil {
		return nil, fmt.Errorf("sql: %w", err)
	}
	res := Result{Changes: out.Changes, Rows: make([][]Value, len(out.Rows))}
	for i, row := range out.Rows {
		res.Rows[i] = make([]Value, len(row))
		for j, c := range row {
			if res.Rows[i][j], err = ValueOf(c); err != nil {
				return nil, fmt.Errorf("sql: column %d: %w", j+1, err)
			}
		}
	}
	return json.Marshal(res)
}
