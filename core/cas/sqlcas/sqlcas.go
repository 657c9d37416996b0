// Package sqlcas is the cas.Store over database/sql: one table (schema.sql)
// and five statements, run unchanged on Cloudflare D1 (syumai's d1 driver in
// the Worker) and on the harness's embedded SQLite (through the guest's
// driver over the host ABI). Every operation is a single statement, so it is
// atomic on its own: D1 offers no transaction through database/sql, and none
// is needed.
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
	"errors"
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

// Store is a cas.Store on one database holding Schema.
type Store struct {
	db  *sql.DB
	now func() time.Time
}

var _ cas.Store = (*Store)(nil)

// New returns the store on db, reading the time from now (time.Now if nil).
// The schema must exist (Migrate, or wrangler d1 execute for D1).
func New(db *sql.DB, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{db: db, now: now}
}

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
	var r cas.Record
	var exp int64
	err := s.db.QueryRowContext(ctx, SQLGet, key, s.now().UnixMilli()).Scan(&r.Value, &r.Version, &exp)
	if errors.Is(err, sql.ErrNoRows) {
		return cas.Record{}, fmt.Errorf("cas get %.40q: %w", key, cas.ErrNotFound)
	}
	if err != nil {
		return cas.Record{}, fmt.Errorf("cas get %.40q: %w", key, err)
	}
	r.Expires = cas.FromMillis(exp)
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
	rows, err := s.db.QueryContext(ctx, SQLGetMany, string(list), s.now().UnixMilli())
	if err != nil {
		return nil, fmt.Errorf("cas get many: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		var r cas.Record
		var exp int64
		if err := rows.Scan(&k, &r.Value, &r.Version, &exp); err != nil {
			return nil, fmt.Errorf("cas get many: %w", err)
		}
		r.Expires = cas.FromMillis(exp)
		out[k] = r
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("cas get many: %w", err)
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
		var v int64
		err := s.db.QueryRowContext(ctx, SQLInsert, key, value, cas.FirstVersion(now, 0), cas.Millis(expires), now.UnixMilli()).Scan(&v)
		if errors.Is(err, sql.ErrNoRows) {
			return 0, fmt.Errorf("cas put %.40q at version 0: %w", key, cas.ErrConflict)
		}
		if err != nil {
			return 0, fmt.Errorf("cas put %.40q at version 0: %w", key, err)
		}
		return v, nil
	}
	res, err := s.db.ExecContext(ctx, SQLUpdate, value, cas.Millis(expires), key, version, now.UnixMilli())
	if err != nil {
		return 0, fmt.Errorf("cas put %.40q at version %d: %w", key, version, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("cas put %.40q at version %d: %w", key, version, err)
	}
	if n != 1 {
		return 0, fmt.Errorf("cas put %.40q at version %d: %w", key, version, cas.ErrConflict)
	}
	return version + 1, nil
}

func (s *Store) List(ctx context.Context, prefix, after string, limit int) ([]cas.Item, error) {
	end, err := cas.CheckList(prefix, after, limit)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, SQLList, prefix, end, after, s.now().UnixMilli(), int64(limit))
	if err != nil {
		return nil, fmt.Errorf("cas list %.40q: %w", prefix, err)
	}
	defer rows.Close()
	var out []cas.Item
	for rows.Next() {
		var it cas.Item
		var exp int64
		if err := rows.Scan(&it.Key, &it.Value, &it.Version, &exp); err != nil {
			return nil, fmt.Errorf("cas list %.40q: %w", prefix, err)
		}
		it.Expires = cas.FromMillis(exp)
		out = append(out, it)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("cas list %.40q: %w", prefix, err)
	}
	return out, nil
}

func (s *Store) Purge(ctx context.Context, now time.Time) (int, error) {
	res, err := s.db.ExecContext(ctx, SQLPurge, now.UnixMilli())
	if err != nil {
		return 0, fmt.Errorf("cas purge: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("cas purge: %w", err)
	}
	return int(n), nil
}
