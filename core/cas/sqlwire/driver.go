package sqlwire

import (
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"fmt"

	"github.com/paylastic/edge/core/cas/sqldriver"
)

// Run sends one encoded Request across the boundary and returns the
// encoded Result, or the error the other side reported.
type Run func(request []byte) ([]byte, error)

// Open returns a database whose every statement is one call of run. Like
// D1 it runs one statement at a time and offers no transaction (package
// sqldriver, which the Worker's D1 driver uses too), so code that works on
// one works on the other.
func Open(run Run) *sql.DB { return sqldriver.Open("sqlwire", statement(run)) }

// statement sends one statement across as a Request.
func statement(run Run) sqldriver.Statement {
	return func(q string, args []driver.NamedValue, wantRows bool) (sqldriver.Result, error) {
		req := Request{Query: q, Rows: wantRows}
		for _, a := range args {
			v, err := ValueOf(a.Value)
			if err != nil {
				return sqldriver.Result{}, err
			}
			req.Args = append(req.Args, v)
		}
		in, err := json.Marshal(req)
		if err != nil {
			return sqldriver.Result{}, err
		}
		out, err := run(in)
		if err != nil {
			return sqldriver.Result{}, err
		}
		var res Result
		if err := json.Unmarshal(out, &res); err != nil {
			return sqldriver.Result{}, fmt.Errorf("sqlwire: decode result: %w", err)
		}
		rows := make([][]any, len(res.Rows))
		for i, row := range res.Rows {
			rows[i] = make([]any, len(row))
			for j, v := range row {
				if rows[i][j], err = v.Value(); err != nil {
					return sqldriver.Result{}, err
				}
			}
		}
		return sqldriver.Result{Changes: res.Changes, Columns: res.Columns, Rows: rows}, nil
	}
}
