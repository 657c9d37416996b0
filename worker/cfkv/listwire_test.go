package cfkv

import (
	"encoding/binary"
	"errors"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/paylastic/edge/core/kv"
)

// page writes keys as the pool's kvList does.
func page(keys ...kv.Key) []byte {
	var b []byte
	for _, k := range keys {
		b = binary.LittleEndian.AppendUint32(b, uint32(len(k.Name)))
		b = append(b, k.Name...)
		exp := 0.0
		if !k.Expiration.IsZero() {
			exp = float64(k.Expiration.Unix())
		}
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(exp))
	}
	return b
}

func TestListedKeys(t *testing.T) {
	at := time.Unix(1_800_000_000, 0).UTC()
	keys := []kv.Key{{Name: "i:abc"}, {Name: "ключ\n\x00 з усім", Expiration: at}, {Name: ""}}
	got, err := listedKeys(page(keys...))
	if err != nil || !reflect.DeepEqual(got, keys) {
		t.Errorf("listedKeys = %+v, %v; want %+v", got, err, keys)
	}
	if got, err := listedKeys(nil); err != nil || len(got) != 0 {
		t.Errorf("an empty page = %+v, %v; want no keys", got, err)
	}
	whole := page(keys[:2]...)
	for _, n := range []int{1, 3, 4, 9, len(whole) - 1} {
		if _, err := listedKeys(whole[:n]); !errors.Is(err, errPage) {
			t.Errorf("a page cut at %d of %d bytes: %v, want errPage", n, len(whole), err)
		}
	}
}
