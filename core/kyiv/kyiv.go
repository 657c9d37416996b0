// Package kyiv converts times to Kyiv's local time (EET/EEST) without the
// time zone database, which would add half a megabyte to every Worker
// request's WebAssembly module.
package kyiv

import "time"

// In returns t in Kyiv time: UTC+3 from the last Sunday of March 01:00 UTC to
// the last Sunday of October 01:00 UTC (the EU rule Ukraine follows), else UTC+2.
func In(t time.Time) time.Time {
	t = t.UTC()
	y := t.Year()
	start := lastSunday(y, time.March).Add(time.Hour)
	end := lastSunday(y, time.October).Add(time.Hour)
	if !t.Before(start) && t.Before(end) {
		return t.In(time.FixedZone("EEST", 3*3600))
	}
	return t.In(time.FixedZone("EET", 2*3600))
}

func lastSunday(y int, m time.Month) time.Time {
	d := time.Date(y, m+1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -1)
	return d.AddDate(0, 0, -int(d.Weekday()))
}
