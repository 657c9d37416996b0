package jshost

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"testing"
)

// The layout pool.mjs reads: a text is its uint32 length and UTF-8, a num
// a float64, a flag one byte.
func TestWriterLayout(t *testing.T) {
	var w Writer
	w.Text("ключ").Num(2.5).Flag(true).Bytes([]byte{0, 1}).Flag(false)
	le := binary.LittleEndian
	want := le.AppendUint32(nil, 8)
	want = append(want, "ключ"...)
	want = le.AppendUint64(want, math.Float64bits(2.5))
	want = append(want, 1)
	want = le.AppendUint32(want, 2)
	want = append(want, 0, 1, 0)
	if !bytes.Equal(w.B, want) {
		t.Fatalf("got % x\nwant % x", w.B, want)
	}
}

func TestReaderRoundTrip(t *testing.T) {
	var w Writer
	w.Flag(true).Text("cursor").Num(-3).Bytes(nil)
	w.B = append(w.B, "rest"...)
	r := NewReader(w.B)
	if f, s, n, b, rest := r.Flag(), r.Text(), r.Num(), r.Bytes(), string(r.Rest()); !f || s != "cursor" || n != -3 || len(b) != 0 || rest != "rest" || r.Err() != nil {
		t.Fatalf("read %v %q %v %q %q, err %v", f, s, n, b, rest, r.Err())
	}
}

// A short answer is an error once, and every later field is empty.
func TestReaderShort(t *testing.T) {
	for _, b := range [][]byte{nil, {1}, {5, 0, 0, 0, 'a'}, {0xff, 0xff, 0xff, 0xff}} {
		r := NewReader(b)
		_ = r.Text()
		if s, n, rest := r.Text(), r.Num(), r.Rest(); !errors.Is(r.Err(), ErrShort) || s != "" || n != 0 || rest != nil {
			t.Errorf("% x: err %v, then %q %v %q", b, r.Err(), s, n, rest)
		}
	}
}
