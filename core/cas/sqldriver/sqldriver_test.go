package sqldriver

import (
	"database/sql/driver"
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestOpen: every statement is one call, with the arguments in order, the
// rows wanted for a Query and not for an Exec, and the answer read back.
func TestOpen(t *testing.T) {
	type call struct {
		q    string
		args []any
		rows bool
	}
	var calls []call
	db := Open("test", func(q string, args []driver.NamedValue, rows bool) (Result, error) {
		c := call{q: q, rows: rows}
		for _, a := range args {
			c.args = append(c.args, a.Value)
		}
		calls = append(calls, c)
		if !rows {
			return Result{Changes: 2}, nil
		}
		return Result{Columns: []string{"k", "v"}, Rows: [][]any{{"a", []byte{1}}, {"b", nil}}}, nil
	})
	defer db.Close()

	res, err := db.Exec("UPDATE t SET v = ?1 WHERE k = ?2", []byte{9}, "a")
	if err != nil {
		t.Fatal(err)
	}
	if n, err := res.RowsAffected(); n != 2 || err != nil {
		t.Errorf("RowsAffected = %d, %v; want 2", n, err)
	}
	if _, err := res.LastInsertId(); err == nil || !strings.HasPrefix(err.Error(), "test: ") {
		t.Errorf("LastInsertId error = %v; want one beginning test:", err)
	}
	rows, err := db.Query("SELECT k, v FROM t WHERE n > ?1", 3)
	if err != nil {
		t.Fatal(err)
	}
	var got [][]any
	for rows.Next() {
		var k string
		var v []byte
		if err := rows.Scan(&k, &v); err != nil {
			t.Fatal(err)
		}
		got = append(got, []any{k, v})
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if want := [][]any{{"a", []byte{1}}, {"b", []byte(nil)}}; !reflect.DeepEqual(got, want) {
		t.Errorf("rows = %#v, want %#v", got, want)
	}
	want := []call{
		{"UPDATE t SET v = ?1 WHERE k = ?2", []any{[]byte{9}, "a"}, false},
		{"SELECT k, v FROM t WHERE n > ?1", []any{int64(3)}, true},
	}
	if !reflect.DeepEqual(calls, want) {
		t.Errorf("calls = %#v, want %#v", calls, want)
	}
}

// TestRefused: what D1 would refuse is refused before any call.
func TestRefused(t *testing.T) {
	db := Open("test", func(string, []driver.NamedValue, bool) (Result, error) {
		t.Error("a refused statement was sent")
		return Result{}, nil
	})
	defer db.Close()
	tests := []struct {
		name string
		run  func() error
	}{
		{"time argument", func() error { _, err := db.Exec("SELECT ?1", time.Now()); return err }},
		{"struct argument", func() error { _, err := db.Exec("SELECT ?1", struct{}{}); return err }},
		{"transaction", func() error { _, err := db.Begin(); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.run(); err == nil {
				t.Fatal("no error")
			}
		})
	}
}
