// Package kv is the product's storage port: a key-value store with the shape
// and the limits of Cloudflare Workers KV
// (https://developers.cloudflare.com/kv/platform/limits/), so that code tested
// against the in-memory fake behaves the same on the Worker.
//
// Workers KV is eventually consistent: a write may take 60 s or more to be
// seen from another location, and "not found" answers are cached too.
// Callers must not rely on reading their own writes from another request
// (invariant 1, docs/invariants.md).
package kv

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Limits of Workers KV that every store enforces, so that a key or a TTL that
// works locally cannot fail in production.
const (
	MaxKeyBytes  = 512              // key length in bytes
	MinTTL       = 60 * time.Second // shortest expiration TTL
	MaxListLimit = 1000             // keys per List page
)

var (
	// ErrNotFound is returned by Get for a missing or expired key.
	ErrNotFound = errors.New("kv: key not found")
	// ErrInvalidKey is returned for an empty key, ".", ".." or a key over MaxKeyBytes.
	ErrInvalidKey = errors.New("kv: invalid key")
	// ErrInvalidTTL is returned for a TTL that is neither zero nor at least MinTTL.
	ErrInvalidTTL = errors.New("kv: invalid ttl")
)

// Store is the storage port. Implementations must pass kvtest.Run.
type Store interface {
	// Get returns the value stored under key, or ErrNotFound.
	Get(ctx context.Context, key string) ([]byte, error)
	// Put stores value under key. ttl 0 keeps it forever; otherwise it
	// expires ttl after the write and ttl must be at least MinTTL.
	Put(ctx context.Context, key string, value []byte, ttl time.Duration) error
	// Delete removes key; deleting a missing key is not an error.
	Delete(ctx context.Context, key string) error
	// List returns up to limit keys (1..MaxListLimit; 0 means MaxListLimit)
	// starting with prefix, in byte order, after cursor ("" for the first
	// page). A page may be short, even empty, before the last one: loop
	// until Complete.
	List(ctx context.Context, prefix, cursor string, limit int) (Page, error)
}

// Page is one page of a List.
type Page struct {
	Keys     []Key
	Cursor   string // pass to the next List call when !Complete
	Complete bool
}

// Key is a listed key. Expiration is zero for keys that never expire.
type Key struct {
	Name       string
	Expiration time.Time
}

// ListedKey is a listed key as the product's JSON wires carry it (the
// guest's host calls, the test store's HTTP API): Expiration is Unix
// seconds, 0 for a key that never expires.
type ListedKey struct {
	Name       string `json:"name"`
	Expiration int64  `json:"expiration,omitempty"`
}

// Listed is k on a wire.
func Listed(k Key) ListedKey {
	l := ListedKey{Name: k.Name}
	if !k.Expiration.IsZero() {
		l.Expiration = k.Expiration.Unix()
	}
	return l
}

// Key is the listed key l.
func (l ListedKey) Key() Key {
	k := Key{Name: l.Name}
	if l.Expiration > 0 {
		k.Expiration = time.Unix(l.Expiration, 0).UTC()
	}
	return k
}

// CheckKey reports whether key is one Workers KV accepts.
func CheckKey(key string) error {
	if key == "" || key == "." || key == ".." || len(key) > MaxKeyBytes {
		return fmt.Errorf("%w: %.40q (%d bytes)", ErrInvalidKey, key, len(key))
	}
	return nil
}

// CheckTTL reports whether ttl is one Workers KV accepts.
func CheckTTL(ttl time.Duration) error {
	if ttl != 0 && ttl < MinTTL {
		return fmt.Errorf("%w: %s is under %s", ErrInvalidTTL, ttl, MinTTL)
	}
	return nil
}

// CheckLimit normalises a List limit.
func CheckLimit(limit int) (int, error) {
	if limit == 0 {
		return MaxListLimit, nil
	}
	if limit < 0 || limit > MaxListLimit {
		return 0, fmt.Errorf("kv: list limit %d outside 1..%d", limit, MaxListLimit)
	}
	return limit, nil
}
