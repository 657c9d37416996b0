package jsonmemo

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
)

type rec struct {
	Name  string   `json:"name"`
	Tags  []string `json:"tags,omitempty"`
	Count int      `json:"count"`
}

func cloneRec(r rec) rec {
	r.Tags = append([]string(nil), r.Tags...)
	return r
}

func TestDecodeIsUnmarshal(t *testing.T) {
	inputs := []string{
		`{"name":"a","tags":["x","y"],"count":2}`,
		`{"name":"a","tags":["x","y"],"count":2}`, // again: from the memo
		`{"name":"b"}`,
		`{}`,
		`{"name":"\u0430","count":-1,"other":true}`,
	}
	for _, m := range []*Memo[rec]{nil, {Clone: cloneRec}} {
		for _, in := range inputs {
			var want rec
			if err := json.Unmarshal([]byte(in), &want); err != nil {
				t.Fatal(err)
			}
			got, err := m.Decode([]byte(in))
			if err != nil || !reflect.DeepEqual(got, want) {
				t.Errorf("Decode(%s) = %+v, %v; want %+v", in, got, err, want)
			}
		}
	}
}

func TestDecodeFailureIsNotKept(t *testing.T) {
	m := &Memo[rec]{Clone: cloneRec}
	for range 2 {
		if _, err := m.Decode([]byte(`{"name":`)); err == nil {
			t.Fatal("Decode of broken JSON succeeded")
		}
	}
	if _, err := m.Decode([]byte(`{"count":"x"}`)); err == nil {
		t.Fatal("Decode of a wrong type succeeded")
	}
	if len(m.m) != 0 {
		t.Errorf("memo keeps %d failed inputs", len(m.m))
	}
}

// A caller that changes what it got changes neither the memo nor what the
// next caller gets, even when the caller's bytes change after the call.
func TestDecodeSharesNothing(t *testing.T) {
	m := &Memo[rec]{Clone: cloneRec}
	in := []byte(`{"name":"a","tags":["x"],"count":1}`)
	first, _ := m.Decode(in)
	first.Tags[0] = "changed"
	first.Name = "changed"
	copy(in, `{"name":"z"`) // the buffer a store read into, reused
	second, _ := m.Decode([]byte(`{"name":"a","tags":["x"],"count":1}`))
	if second.Tags[0] != "x" || second.Name != "a" {
		t.Errorf("second Decode = %+v, after the first caller changed its copy", second)
	}
	second.Tags[0] = "again"
	third, _ := m.Decode([]byte(`{"name":"a","tags":["x"],"count":1}`))
	if third.Tags[0] != "x" {
		t.Errorf("third Decode = %+v", third)
	}
}

func TestDecodeIsBounded(t *testing.T) {
	m := &Memo[rec]{}
	for i := range 3 * Size {
		if _, err := m.Decode([]byte(fmt.Sprintf(`{"count":%d}`, i))); err != nil {
			t.Fatal(err)
		}
		if len(m.m) > Size {
			t.Fatalf("memo holds %d records, over %d", len(m.m), Size)
		}
	}
}
