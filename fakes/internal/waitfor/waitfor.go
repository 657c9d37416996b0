// Package waitfor is how the fakes' Wait methods (telegram's WaitCalls,
// viber's WaitMessages) wait for what a test expects: the fake closes and
// replaces a channel whenever it records something, and a waiter reads
// again once that channel is closed.
package waitfor

import "time"

// Count waits until read returns at least n items, or timeout (wall-clock
// time) has passed. read takes the fake's lock itself and returns what is
// recorded so far and the channel the next change closes. Count returns
// the items last read; ok is false when the timeout came first.
func Count[T any](n int, timeout time.Duration, read func() ([]T, <-chan struct{})) (items []T, ok bool) {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		items, changed := read()
		if len(items) >= n {
			return items, true
		}
		select {
		case <-changed:
		case <-timer.C:
			return items, false
		}
	}
}
