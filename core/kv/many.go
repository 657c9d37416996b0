package kv

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// MaxInFlight bounds the reads GetMany and ListMany make at once.
const MaxInFlight = 16

// GetMany reads keys at once, one goroutine each (at most MaxInFlight at a
// time): a missing key is nil in the result, in the order of keys; any
// other error is returned, the first of them. On the Worker every read is a
// round trip to JavaScript, in which the request's goroutine parks and is
// woken again; reading n keys at once parks it once instead of n times,
// which is most of what a read costs the request's own CPU there.
func GetMany(ctx context.Context, s Store, keys []string) ([][]byte, error) {
	out := make([][]byte, len(keys))
	err := each(len(keys), func(i int) error {
		b, err := s.Get(ctx, keys[i])
		if errors.Is(err, ErrNotFound) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("get %s: %w", keys[i], err)
		}
		out[i] = b
		return nil
	})
	return out, err
}

// maxPages bounds the pages ListMany reads under one prefix.
const maxPages = 100

// ListMany lists the keys under each prefix at once, as GetMany reads
// (each prefix to its last page, at most maxPages of MaxListLimit): the
// names, in the order of prefixes and each prefix's keys in byte order.
func ListMany(ctx context.Context, s Store, prefixes []string) ([][]string, error) {
	out := make([][]string, len(prefixes))
	err := each(len(prefixes), func(i int) error {
		cursor := ""
		for range maxPages {
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
