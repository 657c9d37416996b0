package d1

import (
	"bytes"
	"encoding/binary"
	"math"
	"reflect"
	"testing"

	"github.com/paylastic/edge/core/cas/sqlcas"
)

func TestAppendArgs(t *testing.T) {
	le := binary.LittleEndian
	tests := []struct {
		name string
		args []any
		want []byte
	}{
		{"none", nil, nil},
		{"null", []any{nil}, []byte{classNull}},
		{"int", []any{int64(-2)}, le.AppendUint64([]byte{classInt}, math.MaxUint64-1)},
		{"bool", []any{true, false}, append(le.AppendUint64([]byte{classInt}, 1), le.AppendUint64([]byte{classInt}, 0)...)},
		{"real", []any{1.5}, le.AppendUint64([]byte{classReal}, math.Float64bits(1.5))},
		{"text", []any{"ґ"}, append(le.AppendUint32([]byte{classText}, 2), "ґ"...)},
		{"empty blob", []any{[]byte{}}, le.AppendUint32([]byte{classBlob}, 0)},
		{"blob", []any{[]byte{7, 8}}, append(le.AppendUint32([]byte{classBlob}, 2), 7, 8)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := appendArgs(nil, tt.args)
			if err != nil || !bytes.Equal(got, tt.want) {
				t.Fatalf("appendArgs(%v) = %x, %v; want %x", tt.args, got, err, tt.want)
			}
		})
	}
	if _, err := appendArgs(nil, []any{struct{}{}}); err == nil {
		t.Error("appendArgs of a struct: no error")
	}
}

// encodeResult writes a result as the pool's Writer does.
func encodeResult(changes float64, columns []string, rows [][]any) []byte {
	le := binary.LittleEndian
	b := le.AppendUint64(nil, math.Float64bits(changes))
	b = le.AppendUint32(b, uint32(len(columns)))
	for _, c := range columns {
		b = append(le.AppendUint32(b, uint32(len(c))), c...)
	}
	b = le.AppendUint32(b, uint32(len(rows)))
	for _, r := range rows {
		b, _ = appendArgs(b, r)
	}
	return b
}

func TestDecodeResult(t *testing.T) {
	rows := [][]any{{"k", []byte{}, int64(1 << 50), int64(0)}, {"ключ", []byte{1, 2}, nil, 2.5}}
	tests := []struct {
		name string
		in   []byte
		want sqlcas.Result
	}{
		{"count", encodeResult(3, nil, nil), sqlcas.Result{Changes: 3, Rows: [][]any{}}},
		{"rows", encodeResult(0, []string{"key", "value", "version", "expires"}, rows), sqlcas.Result{Rows: rows}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decodeResult(tt.in)
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("decodeResult = %#v, %v; want %#v", got, err, tt.want)
			}
		})
	}
	t.Run("empty blob is not NULL", func(t *testing.T) {
		got, _ := decodeResult(encodeResult(0, []string{"v"}, [][]any{{[]byte{}}}))
		if b, ok := got.Rows[0][0].([]byte); !ok || b == nil {
			t.Fatalf("empty blob decoded as %#v", got.Rows[0][0])
		}
	})
	full := encodeResult(0, []string{"key", "value"}, [][]any{{"k", []byte{1, 2, 3}}})
	for n := range len(full) {
		if _, err := decodeResult(full[:n]); err == nil {
			t.Errorf("decodeResult of %d of %d bytes: no error", n, len(full))
		}
	}
	if _, err := decodeResult(append(full, 0)); err == nil {
		t.Error("decodeResult with a byte after the result: no error")
	}
	if _, err := decodeResult(encodeResult(0, []string{"v"}, [][]any{{nil}})[:20]); err == nil {
		t.Error("decodeResult of a cut row: no error")
	}
}
