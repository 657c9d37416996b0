package sqlwire

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"
	"time"
)

// TestValueRoundTrip: every driver value crosses the boundary as itself,
// through JSON; an empty blob stays a blob, an integral real stays a real.
func TestValueRoundTrip(t *testing.T) {
	tests := []struct {
		in, want any
	}{
		{nil, nil},
		{int64(42), int64(42)},
		{int64(math.MaxInt64), int64(math.MaxInt64)},
		{int64(math.MinInt64), int64(math.MinInt64)},
		{2.0, 2.0},
		{-1.5, -1.5},
		{true, int64(1)},
		{false, int64(0)},
		{"", ""},
		{"кавʼярня\x00", "кавʼярня\x00"},
		{[]byte{}, []byte{}},
		{[]byte{0, 0xff, 0x80}, []byte{0, 0xff, 0x80}},
	}
	for _, tt := range tests {
		v, err := ValueOf(tt.in)
		if err != nil {
			t.Fatalf("ValueOf(%#v): %v", tt.in, err)
		}
		b, _ := json.Marshal(v)
		var back Value
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		got, err := back.Value()
		if err != nil {
			t.Fatalf("Value of %s: %v", b, err)
		}
		if gb, ok := got.([]byte); ok {
			if wb, ok := tt.want.([]byte); !ok || !bytes.Equal(gb, wb) || gb == nil {
				t.Errorf("%#v through %s = %#v, want %#v", tt.in, b, got, tt.want)
			}
			continue
		}
		if got != tt.want {
			t.Errorf("%#v through %s = %#v (%T), want %#v (%T)", tt.in, b, got, got, tt.want, tt.want)
		}
	}
	if _, err := ValueOf(time.Now()); err == nil {
		t.Error("ValueOf(time.Time) succeeded; want an error, as on D1")
	}
	if _, err := (Value{T: "date"}).Value(); err == nil {
		t.Error("Value of an unknown class succeeded")
	}
}
