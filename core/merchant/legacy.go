package merchant

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/paylastic/edge/core/cas"
	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/kv"
)

// A deployment upgraded from the version that kept merchants in KV (same
// keys: m:{id}, op:{messenger}:{user}, ac:{hash}) still has them there.
// With Store.KV set, a record not found in the consistent store is read
// from KV and written over (at version 0: of two requests moving it at
// once, one writes it and both then read what is stored): the next read
// finds it. KV is never written.

// moveMerchant moves merchant id over from KV.
func (s Store) moveMerchant(ctx context.Context, id string) (Merchant, int64, error) {
	var m Merchant
	v, err := s.move(ctx, merchantKey(id), &m, func() time.Time { return time.Time{} })
	if err == nil {
		err = s.indexName(ctx, m)
	}
	return m, v, err
}

// moveOperator moves a user's binding over from KV.
func (s Store) moveOperator(ctx context.Context, messenger, userID string) (Operator, error) {
	var op Operator
	if _, err := s.move(ctx, operatorKey(messenger, userID), &op, func() time.Time { return time.Time{} }); err != nil {
		return op, err
	}
	_, err := s.DB.Put(ctx, memberKey(op.Merchant, messenger, userID), []byte{}, 0, time.Time{})
	if err != nil && !errors.Is(err, cas.ErrConflict) {
		return op, errs.Storage(fmt.Errorf("list operator: %w", err))
	}
	return op, nil
}

// moveCode moves an activation code over from KV, unless it has expired.
func (s Store) moveCode(ctx context.Context, key string) (code, int64, error) {
	var c code
	v, err := s.move(ctx, key, &c, func() time.Time { return c.Expires })
	return c, v, err
}

// move copies the JSON record at key from KV to the consistent store,
// decoding it into v first; expires says, once v is decoded, when the
// record expires (zero: never). It returns the record's version there, or
// cas.ErrNotFound when KV does not have it either (or Store.KV is nil), or
// it has expired.
func (s Store) move(ctx context.Context, key string, v any, expires func() time.Time) (int64, error) {
	if s.KV == nil {
		return 0, cas.ErrNotFound
	}
	b, err := s.KV.Get(ctx, key)
	if errors.Is(err, kv.ErrNotFound) {
		return 0, cas.ErrNotFound
	}
	if err != nil {
		return 0, errs.Storage(fmt.Errorf("read %.20s from KV: %w", key, err))
	}
	if err := json.Unmarshal(b, v); err != nil {
		return 0, fmt.Errorf("record %.20s in KV: %w", key, err)
	}
	exp := expires()
	if !exp.IsZero() && !s.Now().Before(exp) {
		return 0, cas.ErrNotFound
	}
	if _, err = s.DB.Put(ctx, key, b, 0, exp); err != nil && !errors.Is(err, cas.ErrConflict) {
		return 0, errs.Storage(fmt.Errorf("move %.20s: %w", key, err))
	}
	return s.get(ctx, key, v) // as stored, whoever moved it
}
