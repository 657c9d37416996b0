package merchant

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/paylastic/edge/core/check"
)

// references lists the fields of t (and of its struct fields) that share
// memory a caller could change: slices, maps, pointers, interfaces. A
// time.Time is a value (its *Location is never changed).
func references(t reflect.Type, prefix string) []string {
	var out []string
	for i := range t.NumField() {
		f := t.Field(i)
		switch {
		case f.Type == reflect.TypeOf(time.Time{}):
		case f.Type.Kind() == reflect.Struct:
			out = append(out, references(f.Type, prefix+f.Name+".")...)
		case slices.Contains([]reflect.Kind{reflect.Slice, reflect.Map, reflect.Pointer, reflect.Interface, reflect.Chan, reflect.Func}, f.Type.Kind()):
			out = append(out, prefix+f.Name)
		}
	}
	return out
}

// What a decoded record is handed out as comes from a memo shared by every
// request: a field that shares memory must be copied by its Clone. A new
// such field fails here until cloneMerchant (or a Clone for the type)
// copies it.
func TestDecodedMerchantsShareNothing(t *testing.T) {
	for _, c := range []struct {
		v    any
		want []string
	}{
		{Merchant{}, []string{"Credentials", "BankError"}},
		{Operator{}, nil},
		{check.Check{}, nil}, // checks.Service.Records keeps it without a Clone
	} {
		if got := references(reflect.TypeOf(c.v), ""); !slices.Equal(got, c.want) {
			t.Errorf("%T shares %v; the memo's Clone copies %v", c.v, got, c.want)
		}
	}

	d := NewDecoded()
	in := Merchant{ID: "m1", Name: "Кава", Credentials: []byte("sealed"), BankError: &BankError{Message: "revoked"}, Created: time.Unix(1, 0).UTC()}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	first, err := d.merchants.Decode(b)
	if err != nil || !reflect.DeepEqual(first, in) {
		t.Fatalf("Decode = %+v, %v; want %+v", first, err, in)
	}
	first.Credentials[0] = 'X'
	first.BankError.Message = "changed"
	second, _ := d.merchants.Decode(b)
	if !bytes.Equal(second.Credentials, []byte("sealed")) || second.BankError.Message != "revoked" {
		t.Errorf("after the first caller changed its copy, the second got %+v", second)
	}
}
