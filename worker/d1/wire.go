package d1

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/paylastic/edge/core/cas/sqlcas"
)

// The bytes between the Go side and the pool's sql host function
// (worker/js/pool.mjs, sql): a statement's arguments one way, its result the
// other, little-endian, each value a class byte and then its data:
//
//	null  0
//	int   1, int64
//	real  2, float64
//	text  3, uint32 length, UTF-8
//	blob  4, uint32 length, bytes
//
// A result is the changed-row count (float64), then the number of columns
// (uint32) with each name (uint32 length, UTF-8), the number of rows
// (uint32), and each row's values. A statement run for its count has no
// columns and no rows.
//
// It replaces JSON (package sqlwire, which the harness's guest still uses):
// encoding/json's reflection, base64 for blobs and JSON.parse/stringify in
// JavaScript were a third of the Go time of a D1 read in a warm instance
// (RATIONALE: "Why does the Worker talk to D1 in bytes, not sqlwire's JSON?").
const (
	classNull = 0
	classInt  = 1
	classReal = 2
	classText = 3
	classBlob = 4
)

var errShort = errors.New("d1: result too short")

// appendArgs encodes a statement's arguments: nil, int64, float64, bool,
// string or []byte; anything else (time.Time) is refused, as D1 refuses it.
func appendArgs(b []byte, args []any) ([]byte, error) {
	for _, a := range args {
		switch v := a.(type) {
		case nil:
			b = append(b, classNull)
		case int64:
			b = binary.LittleEndian.AppendUint64(append(b, classInt), uint64(v))
		case bool:
			var i uint64
			if v {
				i = 1
			}
			b = binary.LittleEndian.AppendUint64(append(b, classInt), i)
		case float64:
			b = binary.LittleEndian.AppendUint64(append(b, classReal), math.Float64bits(v))
		case string:
			b = binary.LittleEndian.AppendUint32(append(b, classText), uint32(len(v)))
			b = append(b, v...)
		case []byte:
			b = binary.LittleEndian.AppendUint32(append(b, classBlob), uint32(len(v)))
			b = append(b, v...)
		default:
			return nil, fmt.Errorf("d1: sql value of type %T", a)
		}
	}
	return b, nil
}

// decodeResult decodes what the sql host function answered. Text becomes
// string, blob []byte (never nil: an empty blob is not NULL). Column names
// are skipped: sqlcas reads its columns by position.
func decodeResult(b []byte) (sqlcas.Result, error) {
	d := decoder{b: b}
	var r sqlcas.Result
	r.Changes = int64(math.Float64frombits(d.u64()))
	cols := d.u32()
	if d.err == nil && int(cols) > len(d.b) {
		return sqlcas.Result{}, errShort
	}
	for range cols {
		d.bytes(d.u32())
	}
	n := d.u32()
	if d.err == nil && int(n) > len(d.b) {
		return sqlcas.Result{}, errShort
	}
	r.Rows = make([][]any, 0, n)
	for range n {
		row := make([]any, cols)
		for j := range row {
			row[j] = d.value()
		}
		r.Rows = append(r.Rows, row)
	}
	if d.err != nil {
		return sqlcas.Result{}, d.err
	}
	if len(d.b) != 0 {
		return sqlcas.Result{}, fmt.Errorf("d1: %d bytes after the result", len(d.b))
	}
	return r, nil
}

type decoder struct {
	b   []byte
	err error
}

func (d *decoder) take(n int) []byte {
	if d.err != nil || n > len(d.b) {
		d.err = errShort
		return nil
	}
	p := d.b[:n:n]
	d.b = d.b[n:]
	return p
}

func (d *decoder) u32() uint32 {
	p := d.take(4)
	if p == nil {
		return 0
	}
	return binary.LittleEndian.Uint32(p)
}

func (d *decoder) u64() uint64 {
	p := d.take(8)
	if p == nil {
		return 0
	}
	return binary.LittleEndian.Uint64(p)
}

func (d *decoder) bytes(n uint32) []byte { return d.take(int(n)) }

func (d *decoder) value() any {
	c := d.take(1)
	if c == nil {
		return nil
	}
	switch c[0] {
	case classNull:
		return nil
	case classInt:
		return int64(d.u64())
	case classReal:
		return math.Float64frombits(d.u64())
	case classText:
		return string(d.bytes(d.u32()))
	case classBlob:
		p := d.bytes(d.u32())
		if d.err != nil {
			return nil
		}
		return append([]byte{}, p...)
	}
	if d.err == nil {
		d.err = fmt.Errorf("d1: sql value of class %d", c[0])
	}
	return nil
}
