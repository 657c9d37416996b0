package kv

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// MaxInFlight bounds the reads GetMany and ListMany make at once.
const MaxInFlight = 16

// ManyReader is a Store that does GetMany's and ListMany's work itself,
// in one call each: the Worker's adapter, for which every call is a
// crossing into JavaScript and a resume of the Go runtime, and every
// goroutine of the fallback below one more stack to grow. It must answer
// exactly as the fallback would (kvtest's "Many" cases hold both to it).
type ManyReader interface {
	GetMany(ctx context.Context, keys []string) ([][]byte, error)
	ListMany(ctx context.Context, prefixes []string) ([][]string, error)
}

// GetMany reads keys at once (at most MaxInFlight at a time): a missing
// key is nil in the result, in the order of keys; any other error is
// returned, the first of them. A ManyReader does it in one call; any other
// store reads each key in a goroutine of its own.
func GetMany(ctx context.Context, s Store, keys []string) ([][]byte, error) {
	if m, ok := s.(ManyReader); ok {
		return m.GetMany(ctx, keys)
	}
	out := make([][]byte, len(keys))
	err := each(len(keys), func(i int) error {
		b, err := s.Get(ctx, keys[i])
		if errors.Is(err, ErrNotFound) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("get %s: %w", keys[i], err)
		}
		if b == nil {
			b = []byte{} // found, empty: only a missing key is nil
		}
		out[i] = b
		return nil
	})
	return out, err
}

// MaxListPages bounds the pages ListMany reads under one prefix.
const MaxListPages = 100

// ListMany lists the keys under each prefix at once, as GetMany reads
// (each prefix to its last page, at most MaxListPages of MaxListLimit): the
// names, in the order of prefixes and each prefix's keys in byte order.
func ListMany(ctx context.Context, s Store, prefixes []string) ([][]string, error) {
	if m, ok := s.(ManyReader); ok {
		return m.ListMany(ctx, prefixes)
	}
	out := make([][]string, len(prefixes))
	err := each(len(prefixes), func(i int) error {
		cursor := ""
		for range MaxListPages {
			page, err := s.List(ctx, prefixes[i], cursor, 0)
			if err != nil {
				return fmt.Errorf("list %s: %w", prefixes[i], err)
			}
			for _, k := range page.Keys {
				out[i] = append(out[i], k.Name)
			}
			if page.Complete || page.Cursor == "" {
				return nil
			}
			cursor = page.Cursor
		}
		return nil
	})
	return out, err
}

// each runs f(0..n-1), at most MaxInFlight at a time, and returns the
// first error. With one item it runs in the caller's goroutine.
func each(n int, f func(i int) error) error {
	if n == 1 {
		return f(0)
	}
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
		slots = make(chan struct{}, MaxInFlight)
	)
	for i := range n {
		wg.Add(1)
		slots <- struct{}{}
		go func() {
			defer func() { <-slots; wg.Done() }()
			if err := f(i); err != nil {
				mu.Lock()
				if first == nil {
					first = err
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return first
}
