package sqlcas

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/paylastic/edge/core/cas"
)

// TestCells: a Store reads what a database answers by position, as the
// schema's types, in each form a backend gives them (D1 answers INTEGER as
// a JavaScript number, so as a float64); anything else is an error naming
// the column, never a panic or a zero taken for data.
func TestCells(t *testing.T) {
	exp := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		row     []any
		want    cas.Record
		wantErr string
	}{
		{"as SQLite gives it", []any{[]byte("v"), int64(7), exp.UnixMilli()}, cas.Record{Value: []byte("v"), Version: 7, Expires: exp}, ""},
		{"numbers as doubles", []any{[]byte("v"), float64(1795687200000), float64(0)}, cas.Record{Value: []byte("v"), Version: 1795687200000}, ""},
		{"value as text", []any{"v", int64(1), int64(0)}, cas.Record{Value: []byte("v"), Version: 1}, ""},
		{"empty value", []any{[]byte(nil), int64(1), int64(0)}, cas.Record{Value: []byte{}, Version: 1}, ""},
		{"fractional version", []any{[]byte("v"), 1.5, int64(0)}, cas.Record{}, "column 2 is float64 1.5, not an integer"},
		{"text version", []any{[]byte("v"), "1", int64(0)}, cas.Record{}, "column 2 is string 1, not an integer"},
		{"null value", []any{nil, int64(1), int64(0)}, cas.Record{}, "column 1 is <nil>, not a blob"},
		{"short row", []any{[]byte("v"), int64(1)}, cas.Record{}, "a row of 2 columns, no column 3"},
		{"empty row", []any{}, cas.Record{}, "a row of 0 columns, no column 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Over(func(_ context.Context, q string, args []any, rows bool) (Result, error) {
				if q != SQLGet || !rows || len(args) != 2 || args[0] != "k" {
					t.Fatalf("statement %q %v rows=%v; want SQLGet of k", q, args, rows)
				}
				return Result{Rows: [][]any{tt.row}}, nil
			}, func() time.Time { return exp.Add(-time.Hour) })
			got, err := s.Get(context.Background(), "k")
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Get = %+v, %v; want an error with %q", got, err, tt.wantErr)
				}
				return
			}
			if err != nil || !bytes.Equal(got.Value, tt.want.Value) || got.Value == nil || got.Version != tt.want.Version || !got.Expires.Equal(tt.want.Expires) {
				t.Fatalf("Get = %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}

// TestAnswers: what a statement's answer means (no row: not found, or a
// lost insert; a count other than one: a lost update), and a failed
// statement wrapped with the operation and the key.
func TestAnswers(t *testing.T) {
	ctx := context.Background()
	answer := func(res Result, err error) *Store {
		return Over(func(context.Context, string, []any, bool) (Result, error) { return res, err }, nil)
	}
	if _, err := answer(Result{}, nil).Get(ctx, "k"); !errors.Is(err, cas.ErrNotFound) {
		t.Errorf("Get of no row = %v; want ErrNotFound", err)
	}
	if _, err := answer(Result{}, nil).Put(ctx, "k", nil, 0, time.Time{}); !errors.Is(err, cas.ErrConflict) {
		t.Errorf("insert returning no row = %v; want ErrConflict", err)
	}
	if v, err := answer(Result{Rows: [][]any{{int64(9)}}}, nil).Put(ctx, "k", nil, 0, time.Time{}); err != nil || v != 9 {
		t.Errorf("insert returning 9 = %d, %v", v, err)
	}
	for _, n := range []int64{0, 2} {
		if _, err := answer(Result{Changes: n}, nil).Put(ctx, "k", nil, 3, time.Time{}); !errors.Is(err, cas.ErrConflict) {
			t.Errorf("update changing %d rows = %v; want ErrConflict", n, err)
		}
	}
	if v, err := answer(Result{Changes: 1}, nil).Put(ctx, "k", nil, 3, time.Time{}); err != nil || v != 4 {
		t.Errorf("update at 3 changing 1 row = %d, %v; want 4", v, err)
	}
	down := errors.New("D1_ERROR: database is down")
	if _, err := answer(Result{}, down).Get(ctx, "op:telegram:5"); !errors.Is(err, down) || !strings.Contains(err.Error(), `cas get "op:telegram:5"`) {
		t.Errorf("failed Get = %v; want it wrapped with the key", err)
	}
	if n, err := answer(Result{Changes: 4}, nil).Purge(ctx, time.Now()); err != nil || n != 4 {
		t.Errorf("Purge = %d, %v", n, err)
	}
}
