package bot

import (
	"time"

	"github.com/paylastic/edge/core/kyiv"
)

// The report's day and its time are Kyiv wall clocks, and a Kyiv day is 23
// hours long on the last Sunday of March and 25 on the last Sunday of
// October. So instants are found from wall clocks through kyiv.In (the
// guests have no time zone database), never by adding hours or days to a
// midnight: in a fixed zone that lands an hour off across a change.

// kyivMidnight is the start of t's day in Kyiv.
func kyivMidnight(t time.Time) time.Time { return kyivDay(t, 0, 0) }

// kyivDay is the instant, in Kyiv time, when Kyiv clocks show clock on the
// day days after t's Kyiv day (clock 24h: the next midnight). A time the
// spring change skips (03:00–03:59) is taken an hour later, as the clocks
// then show; one the autumn change shows twice, the first time.
func kyivDay(t time.Time, days int, clock time.Duration) time.Time {
	y, m, d := kyiv.In(t).Date()
	wall := time.Date(y, m, d+days, 0, 0, 0, 0, time.UTC).Add(clock)
	// summer time first: the first of a doubled hour
	for _, offset := range []time.Duration{3 * time.Hour, 2 * time.Hour} {
		if k := kyiv.In(wall.Add(-offset)); wallClock(k).Equal(wall) {
			return k
		}
	}
	return kyiv.In(wall.Add(-2 * time.Hour)) // skipped: winter's offset, an hour on
}

// wallClock is what t's clocks show, as a UTC time.
func wallClock(t time.Time) time.Time {
	y, m, d := t.Date()
	h, mi, s := t.Clock()
	return time.Date(y, m, d, h, mi, s, t.Nanosecond(), time.UTC)
}
