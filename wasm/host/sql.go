package host

import (
	"context"
	"errors"
	"fmt"

	"github.com/paylastic/edge/core/cas/sqlwire"
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
	if cs.sql == nil {
		return nil, errors.New("sql: the harness has no database")
	}
	out, err := sqlwire.Serve(ctx, cs.sql, args)
	if errors.Is(err, sqlwire.ErrBadRequest) {
		return nil, fmt.Errorf("%w: %v", errBadArgs, err)
	}
	return out, err
}
