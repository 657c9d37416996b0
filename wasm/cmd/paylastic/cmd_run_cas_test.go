package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/paylastic/edge/core/app"
	"github.com/paylastic/edge/core/cas/sqlcas"
	"github.com/paylastic/edge/wasm/host/sqlitedb"
	"github.com/paylastic/edge/wasm/hosttest"
)

// TestRunCASFile: `paylastic run` keeps the consistent store in cas.db next
// to kv.db, with its schema, and a restart on the same data directory keeps
// its records; -memory leaves no file.
func TestRunCASFile(t *testing.T) {
	for _, k := range app.Vars {
		t.Setenv(k, "")
	}
	ctx := context.Background()
	data := t.TempDir()
	wasmPath := filepath.Join(t.TempDir(), "guest.wasm")
	if err := os.WriteFile(wasmPath, hosttest.GuestWasm(t), 0o600); err != nil {
		t.Fatal(err)
	}
	startRun(t, data, wasmPath).stop(t)
	path := filepath.Join(data, "cas.db")
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("run left no consistent store next to kv.db: %v", err)
	}
	db, err := sqlitedb.Open(ctx, path)
	if err != nil {
		t.Fatalf("open the cas.db run made: %v", err)
	}
	v, err := sqlcas.New(db, nil).Put(ctx, "k", []byte("v"), 0, time.Time{})
	db.Close()
	if err != nil {
		t.Fatalf("Put into the cas.db run made: %v", err)
	}
	startRun(t, data, wasmPath).stop(t)
	db, err = sqlitedb.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if r, err := sqlcas.New(db, nil).Get(ctx, "k"); err != nil || r.Version != v {
		t.Fatalf("record after a restart = %+v, %v; want version %d", r, err, v)
	}

	mem := t.TempDir()
	r := startRun(t, mem, wasmPath, "-memory")
	r.stop(t)
	if _, err := os.Stat(filepath.Join(mem, "cas.db")); !os.IsNotExist(err) {
		t.Fatalf("run -memory made cas.db (%v)", err)
	}
}
