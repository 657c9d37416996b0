// Package fakebank holds what the fake banks (fakes/monobank, fakes/liqpay)
// do alike, apart from each bank's wire format: reading a test card number,
// their defaults for the clock, the HTTP client and the random source,
// random ids, the history kept for a resend, sending their notifications
// (LiqPay's callbacks, monobank's webhooks) to the merchant, and the hosted
// card page.
package fakebank

import (
	"crypto/rand"
	"io"
	"net/http"
	"strings"
	"time"
)

// PAN is number as a card number, without spaces or dashes; ok is false
// for one that is not 12 to 19 digits passing the Luhn check.
func PAN(number string) (pan string, ok bool) {
	pan = strings.NewReplacer(" ", "", "-", "").Replace(number)
	return pan, luhn(pan)
}

func luhn(pan string) bool {
	if len(pan) < 12 || len(pan) > 19 {
		return false
	}
	sum := 0
	for i := range len(pan) {
		c := pan[len(pan)-1-i]
		if c < '0' || c > '9' {
			return false
		}
		d := int(c - '0')
		if i%2 == 1 {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

// Scheme is the card scheme of a PAN by its first digit: "visa",
// "mastercard" or "other".
func Scheme(pan string) string {
	switch pan[0] {
	case '4':
		return "visa"
	case '2', '5':
		return "mastercard"
	}
	return "other"
}

// Now is now's time, or the real time when now is nil.
func Now(now func() time.Time) time.Time {
	if now != nil {
		return now()
	}
	return time.Now()
}

// Client is c, or when nil a client with a 10 s timeout.
func Client(c *http.Client) *http.Client {
	if c != nil {
		return c
	}
	return defaultClient
}

var defaultClient = &http.Client{Timeout: 10 * time.Second}

// Rand is r, or when nil crypto/rand.
func Rand(r io.Reader) io.Reader {
	if r != nil {
		return r
	}
	return rand.Reader
}

// ID is n random characters of alphabet read from r. It panics if r fails:
// a fake's random source does not.
func ID(r io.Reader, n int, alphabet string) string {
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		panic("fake bank: random: " + err.Error())
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// Keep is history cut to its newest max entries (in a fresh array, so the
// old entries can be collected).
func Keep[T any](history []T, max int) []T {
	if n := len(history); n > max {
		return append(history[:0:0], history[n-max:]...)
	}
	return history
}

// Values copies the entries log points to, for a caller to keep while the
// fake goes on filling in its own.
func Values[T any](log []*T) []T {
	out := make([]T, len(log))
	for i, e := range log {
		out[i] = *e
	}
	return out
}

// Latest is the index of history's newest entry whose status (statusOf) is
// status, or of its newest entry when status is ""; -1 when none is.
func Latest[T any](history []T, status string, statusOf func(T) string) int {
	for i := len(history) - 1; i >= 0; i-- {
		if status == "" || statusOf(history[i]) == status {
			return i
		}
	}
	return -1
}
