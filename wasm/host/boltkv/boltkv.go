// Package boltkv is the harness's durable KV store: bbolt (go.etcd.io/bbolt),
// an embedded, crash-safe B+tree database with ACID transactions, behind the
// kv port with Workers KV's limits.
package boltkv

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/paylastic/edge/core/kv"
)

var bucket = []byte("kv")

// Store is a kv.Store in one bbolt file. Each value is stored with an
// 8-byte expiry prefix (Unix nanoseconds, 0 for none); expired keys are
// invisible at once and purged by Purge.
type Store struct {
	db  *bolt.DB
	now func() time.Time
}

var _ kv.Store = (*Store)(nil)

// Open opens or creates the database file at path.
func Open(path string, now func() time.Time) (*Store, error) {
	if now == nil {
		now = time.Now
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 2 * time.Second})
	if err != nil {
		return nil, fmt.Errorf("open kv %s: %w (is another harness running on this data directory?)", path, err)
	}
	if err := db.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucketIfNotExists(bucket); return err }); err != nil {
		db.Close()
		return nil, fmt.Errorf("open kv %s: %w", path, err)
	}
	return &Store{db: db, now: now}, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

func (s *Store) live(v []byte) bool {
	exp := int64(binary.BigEndian.Uint64(v))
	return exp == 0 || s.now().UnixNano() < exp
}

func expiration(v []byte) time.Time {
	if exp := int64(binary.BigEndian.Uint64(v)); exp != 0 {
		return time.Unix(0, exp).UTC()
	}
	return time.Time{}
}

func (s *Store) Get(_ context.Context, key string) ([]byte, error) {
	if err := kv.CheckKey(key); err != nil {
		return nil, err
	}
	var out []byte
	err := s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucket).Get([]byte(key))
		if len(v) < 8 || !s.live(v) {
			return kv.ErrNotFound
		}
		out = append([]byte{}, v[8:]...)
		return nil
	})
	return out, err
}

func (s *Store) Put(_ context.Context, key string, value []byte, ttl time.Duration) error {
	if err := kv.CheckKey(key); err != nil {
		return err
	}
	if err := kv.CheckTTL(ttl); err != nil {
		return err
	}
	v := make([]byte, 8, 8+len(value))
	if ttl > 0 {
		binary.BigEndian.PutUint64(v, uint64(s.now().Add(ttl).UnixNano()))
	}
	v = append(v, value...)
	return s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucket).Put([]byte(key), v) })
}

func (s *Store) Delete(_ context.Context, key string) error {
	if err := kv.CheckKey(key); err != nil {
		return err
	}
	return s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucket).Delete([]byte(key)) })
}

func (s *Store) List(_ context.Context, prefix, cursor string, limit int) (kv.Page, error) {
	limit, err := kv.CheckLimit(limit)
	if err != nil {
		return kv.Page{}, err
	}
	var p kv.Page
	err = s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucket).Cursor()
		start := []byte(prefix)
		if cursor > prefix {
			start = []byte(cursor)
		}
		for k, v := c.Seek(start); k != nil && bytes.HasPrefix(k, []byte(prefix)); k, v = c.Next() {
			if string(k) == cursor || !s.live(v) {
				continue
			}
			if len(p.Keys) == limit {
				p.Cursor = p.Keys[len(p.Keys)-1].Name
				return nil
			}
			p.Keys = append(p.Keys, kv.Key{Name: string(k), Expiration: expiration(v)})
		}
		p.Complete = true
		return nil
	})
	return p, err
}

// Purge deletes expired keys and returns how many.
func (s *Store) Purge() (int, error) {
	n := 0
	err := s.db.Update(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucket).Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if !s.live(v) {
				if err := c.Delete(); err != nil {
					return err
				}
				n++
			}
		}
		return nil
	})
	return n, err
}
