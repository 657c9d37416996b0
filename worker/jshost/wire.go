package jshost

import (
	"encoding/binary"
	"errors"
	"math"
)

// The bytes of a host call, both ways, as pool.mjs reads and writes them
// (its Reader and Writer): fields one after another, little-endian, with
// no tags, in the order each operation documents.
//
//	text, bytes  uint32 length, then the UTF-8 or the bytes
//	num          float64 (JavaScript's number)
//	flag         one byte, 0 or 1
//
// A call's arguments are a Writer's bytes; its answer is read with a
// Reader, whose first failure sticks (Err), so a caller reads every field
// and checks once.

// ErrShort is an answer that ends before the fields its operation has.
var ErrShort = errors.New("host answer too short")

// Writer appends a call's fields to B.
type Writer struct{ B []byte }

// Text appends s as a text field.
func (w *Writer) Text(s string) *Writer {
	w.B = binary.LittleEndian.AppendUint32(w.B, uint32(len(s)))
	w.B = append(w.B, s...)
	return w
}

// Bytes appends b as a bytes field.
func (w *Writer) Bytes(b []byte) *Writer {
	w.B = binary.LittleEndian.AppendUint32(w.B, uint32(len(b)))
	w.B = append(w.B, b...)
	return w
}

// Num appends x as a num field.
func (w *Writer) Num(x float64) *Writer {
	w.B = binary.LittleEndian.AppendUint64(w.B, math.Float64bits(x))
	return w
}

// Flag appends v as a flag field.
func (w *Writer) Flag(v bool) *Writer {
	if v {
		w.B = append(w.B, 1)
	} else {
		w.B = append(w.B, 0)
	}
	return w
}

// Reader reads an answer's fields in order.
type Reader struct {
	b   []byte
	err error
}

// NewReader reads b.
func NewReader(b []byte) *Reader { return &Reader{b: b} }

// Err is the first failure to read a field, nil if none.
func (r *Reader) Err() error { return r.err }

func (r *Reader) next(n uint64) []byte {
	if r.err != nil {
		return nil
	}
	if uint64(len(r.b)) < n {
		r.err, r.b = ErrShort, nil
		return nil
	}
	v := r.b[:n:n]
	r.b = r.b[n:]
	return v
}

// Bytes reads a bytes field; the slice shares the answer's memory.
func (r *Reader) Bytes() []byte {
	n := r.next(4)
	if n == nil {
		return nil
	}
	return r.next(uint64(binary.LittleEndian.Uint32(n)))
}

// Text reads a text field.
func (r *Reader) Text() string { return string(r.Bytes()) }

// Num reads a num field.
func (r *Reader) Num() float64 {
	b := r.next(8)
	if b == nil {
		return 0
	}
	return math.Float64frombits(binary.LittleEndian.Uint64(b))
}

// Flag reads a flag field.
func (r *Reader) Flag() bool {
	b := r.next(1)
	return b != nil && b[0] != 0
}

// Rest is what is left of the answer, read or not.
func (r *Reader) Rest() []byte {
	if r.err != nil {
		return nil
	}
	b := r.b
	r.b = nil
	return b
}
