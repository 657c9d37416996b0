package sqlwire

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
)

// ErrBadRequest is wrapped in Serve's error for a request it cannot decode.
var ErrBadRequest = errors.New("sqlwire: bad request")

// Serve runs one encoded Request on db and returns the encoded Result: the
// other side of Open, for a host that holds the database. A request that
// cannot be decoded is an error wrapping ErrBadRequest.
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
	var res Result
	if !req.Rows {
		r, err := db.ExecContext(ctx, req.Query, vals...)
		if err != nil {
			return nil, fmt.Errorf("sql exec: %w", err)
		}
		if res.Changes, err = r.RowsAffected(); err != nil {
			return nil, fmt.Errorf("sql exec: %w", err)
		}
		return json.Marshal(res)
	}
	rows, err := db.QueryContext(ctx, req.Query, vals...)
	if err != nil {
		return nil, fmt.Errorf("sql query: %w", err)
	}
	defer rows.Close()
	if res.Columns, err = rows.Columns(); err != nil {
		return nil, fmt.Errorf("sql query: %w", err)
	}
	cells := make([]any, len(res.Columns))
	ptrs := make([]any, len(cells))
	for i := range cells {
		ptrs[i] = &cells[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, fmt.Errorf("sql query: %w", err)
		}
		row := make([]Value, len(cells))
		for i, c := range cells {
			if row[i], err = ValueOf(c); err != nil {
				return nil, fmt.Errorf("sql query: column %s: %w", res.Columns[i], err)
			}
		}
		res.Rows = append(res.Rows, row)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sql query: %w", err)
	}
	return json.Marshal(res)
}
