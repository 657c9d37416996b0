package host

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/paylastic/edge/wasm/abi"
	"github.com/paylastic/edge/wasm/host/sqlitedb"
)

// openSQL gives the harness an in-memory SQLite (with the consistent
// store's schema) when Options.SQL is nil, and owns it.
func (h *Harness) openSQL(ctx context.Context) error {
	if h.opts.SQL != nil {
		return nil
	}
	db, err := sqlitedb.Memory(ctx)
	if err != nil {
		return fmt.Errorf("host: %w", err)
	}
	h.opts.SQL, h.ownSQL = db, true
	return nil
}

// closeSQL closes the database openSQL opened.
func (h *Harness) closeSQL() {
	if h.ownSQL {
		h.opts.SQL.Close()
	}
}

// sqlCall runs one OpSQL statement on the harness's database.
func (cs *callState) sqlCall(ctx context.Context, args []byte) ([]byte, error) {
	var req abi.SQLRequest
	if err := json.Unmarshal(args, &req); err != nil {
		return nil, fmt.Errorf("%w: %v", errBadArgs, err)
	}
	if cs.sql == nil {
		return nil, errors.New("sql: the harness has no database")
	}
	vals := make([]any, len(req.Args))
	for i, a := range req.Args {
		v, err := a.Value()
		if err != nil {
			return nil, fmt.Errorf("%w: %v", errBadArgs, err)
		}
		vals[i] = v
	}
	var res abi.SQLResult
	if !req.Rows {
		r, err := cs.sql.ExecContext(ctx, req.Query, vals...)
		if err != nil {
			return nil, fmt.Errorf("sql exec: %w", err)
		}
		if res.Changes, err = r.RowsAffected(); err != nil {
			return nil, fmt.Errorf("sql exec: %w", err)
		}
		return json.Marshal(res)
	}
	rows, err := cs.sql.QueryContext(ctx, req.Query, vals...)
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
		row := make([]abi.SQLValue, len(cells))
		for i, c := range cells {
			if row[i], err = abi.SQLValueOf(c); err != nil {
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
