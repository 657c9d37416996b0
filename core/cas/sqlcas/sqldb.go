package sqlcas

import (
	"context"
	"database/sql"
	"fmt"
)

// OnDB runs statements on a database/sql handle: Exec for a count, Query
// for rows, each value as the driver gave it (database/sql copies bytes).
func OnDB(db *sql.DB) Statement {
	return func(ctx context.Context, q string, args []any, wantRows bool) (Result, error) {
		if !wantRows {
			r, err := db.ExecContext(ctx, q, args...)
			if err != nil {
				return Result{}, err
			}
			n, err := r.RowsAffected()
			return Result{Changes: n}, err
		}
		rows, err := db.QueryContext(ctx, q, args...)
		if err != nil {
			return Result{}, err
		}
		defer rows.Close()
		cols, err := rows.Columns()
		if err != nil {
			return Result{}, err
		}
		var res Result
		for rows.Next() {
			row := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range row {
				ptrs[i] = &row[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				return Result{}, fmt.Errorf("scan: %w", err)
			}
			res.Rows = append(res.Rows, row)
		}
		return res, rows.Err()
	}
}
