package cfkv

import (
	"encoding/binary"
	"errors"
	"math"
	"time"

	"github.com/paylastic/edge/core/kv"
)

// errPage is a page of listed keys that is not what the pool writes.
var errPage = errors.New("malformed page")

// listedKeys reads the keys of a list page as the pool writes them
// (worker/js/pool.mjs, kvList): per key a u32 little-endian length and
// that many bytes of UTF-8 name, then its expiration as a little-endian
// float64 of Unix seconds, 0 for a key that never expires.
func listedKeys(b []byte) ([]kv.Key, error) {
	var keys []kv.Key
	for len(b) > 0 {
		if len(b) < 4 {
			return nil, errPage
		}
		n := binary.LittleEndian.Uint32(b)
		b = b[4:]
		if uint64(len(b)) < uint64(n)+8 {
			return nil, errPage
		}
		k := kv.Key{Name: string(b[:n])}
		if exp := math.Float64frombits(binary.LittleEndian.Uint64(b[n:])); exp > 0 {
			k.Expiration = time.Unix(int64(exp), 0).UTC()
		}
		keys = append(keys, k)
		b = b[n+8:]
	}
	return keys, nil
}
