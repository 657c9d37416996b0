package sqlitedb_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/paylastic/edge/core/cas"
	"github.com/paylastic/edge/core/cas/castest"
	"github.com/paylastic/edge/core/cas/sqlcas"
	"github.com/paylastic/edge/core/cas/sqlwire"
	"github.com/paylastic/edge/wasm/host/sqlitedb"
)

// TestSQLCASConformance runs the cas suite on package sqlcas over the
// harness's SQLite, in memory (tests) and in a WAL file with a connection
// pool (make run), where the races are real races between connections.
func TestSQLCASConformance(t *testing.T) {
	ctx := context.Background()
	mem, err := sqlitedb.Memory(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer mem.Close()
	file, err := sqlitedb.Open(ctx, filepath.Join(t.TempDir(), "cas.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	t.Run("memory", func(t *testing.T) {
		castest.Run(t, func(t *testing.T, now func() time.Time) cas.Store { return sqlcas.New(mem, now) })
	})
	t.Run("file", func(t *testing.T) {
		castest.Run(t, func(t *testing.T, now func() time.Time) cas.Store { return sqlcas.New(file, now) })
	})
	// the guest's and the Worker's way: every statement encoded, carried
	// and run by sqlwire.Serve on the other side
	t.Run("wire", func(t *testing.T) {
		run := sqlwire.Statement(func(req []byte) ([]byte, error) { return sqlwire.Serve(ctx, mem, req) })
		castest.Run(t, func(t *testing.T, now func() time.Time) cas.Store { return sqlcas.Over(run, now) })
	})
}

// TestReopen: the file keeps its records, and migrating again changes nothing.
func TestReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "cas.db")
	db, err := sqlitedb.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	v, err := sqlcas.New(db, nil).Put(ctx, "k", []byte("v"), 0, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	db, err = sqlitedb.Open(ctx, path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer db.Close()
	if r, err := sqlcas.New(db, nil).Get(ctx, "k"); err != nil || string(r.Value) != "v" || r.Version != v {
		t.Fatalf("Get after reopen = %+v, %v; want v at version %d", r, err, v)
	}
}
