// Package sqlcas is the cas.Store on SQL: one table (schema.sql) and six
// statements, run unchanged on Cloudflare D1 (package worker/d1 in the
// Worker), on the harness's embedded SQLite (from the guest over the host
// ABI, package sqlwire) and on a database/sql handle (New, the host's
// SQLite). Every operation is a single statement, so it is atomic on its
// own: D1 offers no transaction across calls, and none is needed.
//
// A Store asks a database for one thing, to run a statement (Statement),
// not for database/sql: on the Worker and in the guest, database/sql's
// pool, locks, reflection and the goroutine it starts for every query's
// rows cost about 40 µs of WebAssembly a read, against 2 µs without
// (RATIONALE: "Why does sqlcas run statements without database/sql?").
//
// Time comes from the clock the caller gives, passed to the statements as
// Unix milliseconds (no SQL now()), so tests are deterministic and the
// Worker, the harness and the fake agree to the millisecond.
package sqlcas

import (
	"context"
	"database/sql"
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/paylastic/edge/core/cas"
)

// Schema creates the table and its index (idempotent). It is the file
// `wrangler d1 execute` applies to D1.
//
//go:embed schema.sql
var Schema string

// The statements, exported so that a bench can run them from JavaScript too
// (worker/storebench). A record is live while expires = 0 or now < expires.
const (
	SQLGet = `SELECT value, version, expires FROM records
WHERE key = ?1 AND (expires = 0 OR expires > ?2)`

	// json_each takes the keys as one JSON array: D1 allows at most 100
	// bound parameters per query.
	SQLGetMany = `SELECT key, value, version, expires FROM records
WHERE key IN (SELECT value FROM json_each(?1)) AND (expires = 0 OR expires > ?2)`

	// Version 0: insert, or take over an expired row (continuing its
	// versions); a live row is left alone and nothing is returned.
	SQLInsert = `INSERT INTO records (key, value, version, expires) VALUES (?1, ?2, ?3, ?4)
ON CONFLICT (key) DO UPDATE SET value = excluded.value, version = max(records.version + 1, excluded.version), expires = excluded.expires
WHERE records.expires > 0 AND records.expires <= ?5
RETURNING version`

	// Version n: the compare-and-set; one row changed means this write won.
	SQLUpdate = `UPDATE records SET value = ?1, version = version + 1, expires = ?2
WHERE key = ?3 AND version = ?4 AND (expires = 0 OR expires > ?5)`

	// The prefix's keys are the range [?1, ?2): the primary key's order.
	SQLList = `SELECT key, value, version, expires FROM records
WHERE key >= ?1 AND key < ?2 AND key > ?3 AND (expires = 0 OR expires > ?4)
ORDER BY key LIMIT ?5`

	SQLPurge = `DELETE FROM records WHERE expires > 0 AND expires <= ?1`
)

// Statement runs one statement q with args (?1, ?2, … in order; each
// int64, string or []byte): for its rows when rows is true (a read, or a
// write with RETURNING), else for its count of changed rows. It is the
// port a Store runs on, one call per statement.
type Statement func(ctx context.Context, q string, args []any, rows bool) (Result, error)

// Result is what a statement gave: its rows (when asked for), each value
// nil, int64, float64, string or []byte, or the number of rows it
// inserted, updated or deleted.
type Result struct {
	Changes int64
	Rows    [][]any
}

// Store is a cas.Store on one database holding Schema.
type Store struct {
	run Statement
	now func() time.Time
}

var _ cas.Store = (*Store)(nil)

// Over returns the store whose statements run, as given, reading the time
// from now (time.Now if nil). The schema must exist (Migrate, or wrangler
// d1 execute for D1).
func Over(run Statement, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{run: run, now: now}
}

// New returns the store on a database/sql handle (the host's SQLite).
func New(db *sql.DB, now func() time.Time) *Store { return Over(OnDB(db), now) }

// Migrate applies Schema to db, one statement at a time.
func Migrate(ctx context.Context, db *sql.DB) error {
	for _, stmt := range Statements(Schema) {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("migrate cas schema: %w", err)
		}
	}
	return nil
}

// Statements splits a SQL file at the semicolons that end its lines and
// drops comment lines.
func Statements(file string) []string {
	var out []string
	var cur strings.Builder
	for _, line := range strings.Split(file, "\n") {
		if t := strings.TrimSpace(line); t == "" || strings.HasPrefix(t, "--") {
			continue
		}
		cur.WriteString(line + "\n")
		if strings.HasSuffix(strings.TrimSpace(line), ";") {
			out = append(out, strings.TrimSpace(cur.String()))
			cur.Reset()
		}
	}
	if s := strings.TrimSpace(cur.String()); s != "" {
		out = append(out, s)
	}
	return out
}

func (s *Store) Get(ctx context.Context, key string) (cas.Record, error) {
	if err := cas.CheckKey(key); err != nil {
		return cas.Record{}, err
	}
	res, err := s.run(ctx, SQLGet, []any{key, s.now().UnixMilli()}, true)
	if err != nil {
		return cas.Record{}, fmt.Errorf("cas get %.40q: %w", key, err)
	}
	if len(res.Rows) == 0 {
		return cas.Record{}, fmt.Errorf("cas get %.40q: %w", key, cas.ErrNotFound)
	}
	var c cells
	r := c.record(res.Rows[0], 0)
	if c.err != nil {
		return cas.Record{}, fmt.Errorf("cas get %.40q: %w", key, c.err)
	}
	return r, nil
}

func (s *Store) GetMany(ctx context.Context, keys []string) (map[string]cas.Record, error) {
	if err := cas.CheckKeys(keys); err != nil {
		return nil, err
	}
	out := make(map[string]cas.Record, len(keys))
	if len(keys) == 0 {
		return out, nil
	}
	list, err := json.Marshal(keys)
	if err != nil {
		return nil, fmt.Errorf("cas get many: %w", err)
	}
	res, err := s.run(ctx, SQLGetMany, []any{string(list), s.now().UnixMilli()}, true)
	if err != nil {
		return nil, fmt.Errorf("cas get many: %w", err)
	}
	var c cells
	for _, row := range res.Rows {
		k, r := c.text(row, 0), c.record(row, 1)
		if c.err != nil {
			return nil, fmt.Errorf("cas get many: %w", c.err)
		}
		out[k] = r
	}
	return out, nil
}

func (s *Store) Put(ctx context.Context, key string, value []byte, version int64, expires time.Time) (int64, error) {
	now := s.now()
	if err := cas.CheckPut(key, value, version, expires, now); err != nil {
		return 0, err
	}
	if value == nil {
		value = []byte{} // the column is NOT NULL
	}
	if version == 0 {
		res, err := s.run(ctx, SQLInsert, []any{key, value, cas.FirstVersion(now, 0), cas.Millis(expires), now.UnixMilli()}, true)
		if err != nil {
			return 0, fmt.Errorf("cas put %.40q at version 0: %w", key, err)
		}
		if len(res.Rows) == 0 {
			return 0, fmt.Errorf("cas put %.40q at version 0: %w", key, cas.ErrConflict)
		}
		var c cells
		v := c.int(res.Rows[0], 0)
		if c.err != nil {
			return 0, fmt.Errorf("cas put %.40q at version 0: %w", key, c.err)
		}
		return v, nil
	}
	res, err := s.run(ctx, SQLUpdate, []any{value, cas.Millis(expires), key, version, now.UnixMilli()}, false)
	if err != nil {
		return 0, fmt.Errorf("cas put %.40q at version %d: %w", key, version, err)
	}
	if res.Changes != 1 {
		return 0, fmt.Errorf("cas put %.40q at version %d: %w", key, version, cas.ErrConflict)
	}
	return version + 1, nil
}

func (s *Store) List(ctx context.Context, prefix, after string, limit int) ([]cas.Item, error) {
	end, err := cas.CheckList(prefix, after, limit)
	if err != nil {
		return nil, err
	}
	res, err := s.run(ctx, SQLList, []any{prefix, end, after, s.now().UnixMilli(), int64(limit)}, true)
	if err != nil {
		return nil, fmt.Errorf("cas list %.40q: %w", prefix, err)
	}
	var out []cas.Item
	var c cells
	for _, row := range res.Rows {
		it := cas.Item{Key: c.text(row, 0), Record: c.record(row, 1)}
		if c.err != nil {
			return nil, fmt.Errorf("cas list %.40q: %w", prefix, c.err)
		}
		out = append(out, it)
	}
	return out, nil
}

func (s *Store) Purge(ctx context.Context, now time.Time) (int, error) {
	res, err := s.run(ctx, SQLPurge, []any{now.UnixMilli()}, false)
	if err != nil {
		return 0, fmt.Errorf("cas purge: %w", err)
	}
	return int(res.Changes), nil
}

// cells reads a row's values as the schema's types, keeping the first
// value that is not one.
type cells struct{ err error }

// record reads value, version and expires from row[i:].
func (c *cells) record(row []any, i int) cas.Record {
	return cas.Record{Value: c.blob(row, i), Version: c.int(row, i+1), Expires: cas.FromMillis(c.int(row, i+2))}
}

// at is row[i], or false (and the error) when the row is short.
func (c *cells) at(row []any, i int) (any, bool) {
	if i >= len(row) {
		c.fail(fmt.Errorf("a row of %d columns, no column %d", len(row), i+1))
		return nil, false
	}
	return row[i], true
}

func (c *cells) fail(err error) {
	if c.err == nil {
		c.err = err
	}
}

// int is an INTEGER column; a database that answers numbers as doubles
// (D1 gives JavaScript numbers) may give it as a whole float64.
func (c *cells) int(row []any, i int) int64 {
	v, ok := c.at(row, i)
	switch n := v.(type) {
	case int64:
		return n
	case float64:
		if w := int64(n); float64(w) == n {
			return w
		}
	}
	if ok {
		c.fail(fmt.Errorf("column %d is %T %v, not an integer", i+1, v, v))
	}
	return 0
}

func (c *cells) text(row []any, i int) string {
	v, ok := c.at(row, i)
	switch t := v.(type) {
	case string:
		return t
	case []byte:
		return string(t)
	}
	if ok {
		c.fail(fmt.Errorf("column %d is %T, not text", i+1, v))
	}
	return ""
}

// blob is a BLOB column, never nil: an empty value is not a missing one.
func (c *cells) blob(row []any, i int) []byte {
	v, ok := c.at(row, i)
	switch b := v.(type) {
	case []byte:
		if b == nil {
			return []byte{}
		}
		return b
	case string:
		return []byte(b)
	}
	if ok {
		c.fail(fmt.Errorf("column %d is %T, not a blob", i+1, v))
	}
	return nil
}
