package host

import (
	"context"
	"time"

	"github.com/paylastic/edge/core/kv"
)

type locationKey struct{}

// WithLocation marks ctx as served in the named Workers location.
func WithLocation(ctx context.Context, loc string) context.Context {
	return context.WithValue(ctx, locationKey{}, loc)
}

// LocationFrom returns the location of ctx ("" if none).
func LocationFrom(ctx context.Context) string {
	loc, _ := ctx.Value(locationKey{}).(string)
	return loc
}

// Routed returns a store that serves each call from the view of the
// location in its context (see WithLocation and Options.Locate).
func (l *Lagged) Routed() kv.Store { return routed{l} }

type routed struct{ l *Lagged }

func (r routed) view(ctx context.Context) kv.Store { return r.l.At(LocationFrom(ctx)) }

func (r routed) Get(ctx context.Context, key string) ([]byte, error) {
	return r.view(ctx).Get(ctx, key)
}

func (r routed) Put(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	return r.view(ctx).Put(ctx, key, value, ttl)
}

func (r routed) Delete(ctx context.Context, key string) error { return r.view(ctx).Delete(ctx, key) }

func (r routed) List(ctx context.Context, prefix, cursor string, limit int) (kv.Page, error) {
	return r.view(ctx).List(ctx, prefix, cursor, limit)
}
