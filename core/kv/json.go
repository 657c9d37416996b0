package kv

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// GetJSON reads key and decodes its JSON value into v. It returns ErrNotFound
// (wrapped) for a missing key.
func GetJSON(ctx context.Context, s Store, key string, v any) error {
	b, err := s.Get(ctx, key)
	if err != nil {
		return fmt.Errorf("get %s: %w", key, err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("decode %s: %w", key, err)
	}
	return nil
}

// PutJSON encodes v as JSON and stores it under key.
func PutJSON(ctx context.Context, s Store, key string, v any, ttl time.Duration) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s: %w", key, err)
	}
	if err := s.Put(ctx, key, b, ttl); err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	return nil
}
