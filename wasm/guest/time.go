//go:build wasip1

package main

import "time"

func timeUntilMS(t time.Time) int64 { return time.Until(t).Milliseconds() }
