// Package cas is the product's strongly consistent store: versioned records
// with conditional writes (compare-and-set), for everything that must happen
// once (a payment started, a bank event applied, a notice claimed).
//
// Workers KV (package kv) may lag by a minute between locations and has no
// conditional write, so two requests can both "win". A Store here has one
// owner for every key: a Put names the version it read, and exactly one of
// several racing Puts at that version succeeds; the others get ErrConflict
// and must read again. On Cloudflare the store is D1 (SQLite, package
// sqlcas); in the harness the same SQL runs on an embedded SQLite.
//
// Versions: a record created at version 0 gets a version no lower than the
// current time in milliseconds (and above the version of the expired record
// it replaces), and every successful Put adds one. So a version read before
// a record expired does not match a record written after it unless the key
// saw more writes than milliseconds went by. Expiry has millisecond
// resolution, the same on every store.
package cas

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Limits every store enforces, so that what works on one works on all. D1
// caps a row at 2 MB and a query at 100 bound parameters
// (https://developers.cloudflare.com/d1/platform/limits/); a value also
// stays well under the harness's 1 MiB request body, so the conformance
// suite can reach every store's own check through its test routes.
const (
	MaxKeyBytes   = 512       // key length in bytes
	MaxValueBytes = 512 << 10 // value length in bytes
	MaxGetMany    = 100       // keys per GetMany
	MaxList       = 100       // records per List
)

var (
	// ErrNotFound is returned by Get when there is no live record at the key.
	ErrNotFound = errors.New("cas: record not found")
	// ErrConflict is returned by Put when the stored version is not the one
	// given: another write won (or, at version 0, a live record exists).
	ErrConflict = errors.New("cas: version conflict")
	// ErrInvalid is returned for an empty or oversized key or value, a
	// negative version, an expiry that is not in the future, more than
	// MaxGetMany keys, or a List out of its limits.
	ErrInvalid = errors.New("cas: invalid argument")
)

// Record is a stored value with its version and expiry (zero: never).
type Record struct {
	Value   []byte
	Version int64
	Expires time.Time
}

// Store is the consistent store. Implementations must pass castest.Run.
type Store interface {
	// Get returns the record at key; ErrNotFound if there is none or it expired.
	Get(ctx context.Context, key string) (Record, error)
	// GetMany returns the live records among keys (missing ones are absent
	// from the map); at most MaxGetMany keys.
	GetMany(ctx context.Context, keys []string) (map[string]Record, error)
	// Put writes value at key if the stored version is still version (0: no
	// live record may exist), with an expiry (zero: never). It returns the
	// new version, or ErrConflict when another write won.
	Put(ctx context.Context, key string, value []byte, version int64, expires time.Time) (int64, error)
	// List returns the live records whose keys begin with prefix, in key
	// order, from the first key after after ("" from the start): at most
	// limit (1 to MaxList). Fewer than limit means there are no more. The
	// prefix must be non-empty and end in an ASCII character.
	List(ctx context.Context, prefix, after string, limit int) ([]Item, error)
	// Purge deletes records expired before now (the cron pass); it reports
	// how many.
	Purge(ctx context.Context, now time.Time) (int, error)
}

// Item is a listed record and its key.
type Item struct {
	Key string
	Record
}

// CheckList checks a List's arguments, and returns the first key past
// every key with prefix (the prefix with its last byte increased), for
// stores that scan a key range.
func CheckList(prefix, after string, limit int) (end string, err error) {
	switch {
	case prefix == "" || len(prefix) > MaxKeyBytes || prefix[len(prefix)-1] >= 0x7f:
		return "", fmt.Errorf("%w: list prefix %.40q", ErrInvalid, prefix)
	case len(after) > MaxKeyBytes:
		return "", fmt.Errorf("%w: list after %.40q", ErrInvalid, after)
	case limit < 1 || limit > MaxList:
		return "", fmt.Errorf("%w: list limit %d, from 1 to %d", ErrInvalid, limit, MaxList)
	}
	return prefix[:len(prefix)-1] + string(prefix[len(prefix)-1]+1), nil
}

// CheckKey reports whether key is one every store accepts.
func CheckKey(key string) error {
	if key == "" || len(key) > MaxKeyBytes {
		return fmt.Errorf("%w: key %.40q (%d bytes)", ErrInvalid, key, len(key))
	}
	return nil
}

// CheckKeys checks the keys of a GetMany.
func CheckKeys(keys []string) error {
	if len(keys) > MaxGetMany {
		return fmt.Errorf("%w: %d keys, at most %d", ErrInvalid, len(keys), MaxGetMany)
	}
	for _, k := range keys {
		if err := CheckKey(k); err != nil {
			return err
		}
	}
	return nil
}

// CheckPut checks a Put's arguments at time now.
func CheckPut(key string, value []byte, version int64, expires, now time.Time) error {
	if err := CheckKey(key); err != nil {
		return err
	}
	switch {
	case len(value) > MaxValueBytes:
		return fmt.Errorf("%w: value of %d bytes, at most %d", ErrInvalid, len(value), MaxValueBytes)
	case version < 0:
		return fmt.Errorf("%w: version %d", ErrInvalid, version)
	case !expires.IsZero() && Millis(expires) <= Millis(now):
		return fmt.Errorf("%w: expiry %s is not after %s", ErrInvalid, expires.UTC().Format(time.RFC3339Nano), now.UTC().Format(time.RFC3339Nano))
	}
	return nil
}

// Millis is t in Unix milliseconds, 0 for the zero time: how every store
// keeps an expiry.
func Millis(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// FromMillis undoes Millis (UTC).
func FromMillis(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

// FirstVersion is the version of a record created at version 0 at time now,
// replacing an expired record at version old (0: none): now in
// milliseconds, or old+1 if that is higher.
func FirstVersion(now time.Time, old int64) int64 {
	return max(now.UnixMilli(), old+1, 1)
}
