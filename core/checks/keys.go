package checks

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/paylastic/edge/core/check"
)

// KV keys of a check. The check key carries the creation day, the operator
// and the expiry, so that listing a prefix answers "the operator's checks of
// a day" («Мої чеки») and "checks that expire soon" (the scheduled pass) with
// no index to write: a paid check costs 3 writes end to end (invariant 8,
// docs/invariants.md).
//
//	i:{yyyymmdd}:{operator}:{expires unix, 10 digits}:{id}   check, written once
//	s:{id}                                                   state (in the consistent store; in KV before it)
const (
	checkPrefix = "i:"
	statePrefix = "s:"
)

// Retention is how long checks stay in KV after creation.
const Retention = 35 * 24 * time.Hour

func day(t time.Time) string { return t.UTC().Format("20060102") }

// CheckKey is the KV key of the check a ref points to. It is appended by
// hand, not with fmt.Sprintf: a Telegram amount update makes it several
// times, and in the Worker fmt's reflection was a tenth of a millisecond of
// it (TestCheckKeyIsSprintfs holds it to the Sprintf form).
func CheckKey(r check.Ref) string {
	exp := r.Expires.Unix()
	y, m, d := r.Created.UTC().Date()
	if exp < 0 || y < 1000 || y > 9999 {
		return checkKeyf(r)
	}
	b := make([]byte, 0, len(checkPrefix)+9+len(r.Operator)+1+11+len(r.ID))
	b = append(b, checkPrefix...)
	b = appendPadded(b, int64(y), 4)
	b = appendPadded(b, int64(m), 2)
	b = appendPadded(b, int64(d), 2)
	b = append(b, ':')
	b = append(b, r.Operator...)
	b = append(b, ':')
	b = appendPadded(b, exp, 10)
	b = append(b, ':')
	b = append(b, r.ID...)
	return string(b)
}

// checkKeyf is CheckKey's definition, for what the fast path does not
// cover (a year outside 1000–9999, an expiry before 1970).
func checkKeyf(r check.Ref) string {
	return fmt.Sprintf("%s%s:%s:%010d:%s", checkPrefix, day(r.Created), r.Operator, r.Expires.Unix(), r.ID)
}

// appendPadded appends the decimal n (n >= 0) with zeros up to width digits.
func appendPadded(b []byte, n int64, width int) []byte {
	var digits [20]byte
	s := strconv.AppendInt(digits[:0], n, 10)
	for i := len(s); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}

func stateKey(id string) string { return statePrefix + id }

func dayPrefix(t time.Time) string { return checkPrefix + day(t) + ":" }

func operatorDayPrefix(t time.Time, operator string) string { return dayPrefix(t) + operator + ":" }

// parsedKey is what a check key tells without reading the value.
type parsedKey struct {
	Day      time.Time // the UTC day of creation (the key has no finer time)
	Operator string
	Expires  time.Time
	ID       string
}

func parseCheckKey(k string) (parsedKey, bool) {
	parts := strings.Split(strings.TrimPrefix(k, checkPrefix), ":")
	if len(parts) != 4 || !strings.HasPrefix(k, checkPrefix) {
		return parsedKey{}, false
	}
	d, err := time.Parse("20060102", parts[0])
	if err != nil {
		return parsedKey{}, false
	}
	exp, err := strconv.ParseInt(parts[2], 10, 64)
	if err != nil {
		return parsedKey{}, false
	}
	return parsedKey{Day: d, Operator: parts[1], Expires: time.Unix(exp, 0).UTC(), ID: parts[3]}, true
}
