package sandbox

import (
	"strconv"
	"strings"
	"time"

	"github.com/paylastic/edge/core/check"
)

// Test cards with a fixed outcome; any other number passing Luhn succeeds.
// The same numbers LiqPay's and Stripe's sandboxes use.
var declines = map[string]string{
	"4000000000000002": "Недостатньо коштів",
	"4000000000009995": "Операцію відхилено банком",
}

// problem names what is wrong with a card form; "" if nothing is.
type problem string

const (
	badNumber problem = "number"
	badExpiry problem = "expiry"
	expired   problem = "expired"
	badCVV    problem = "cvv"
)

// card is what the buyer typed, checked. It lives only for the request.
type card struct {
	number string // digits only
}

// readCard checks the form's fields. It returns the first problem found.
func readCard(number, exp, cvv string, now time.Time) (card, problem) {
	digits := strings.Map(func(r rune) rune {
		switch {
		case r >= '0' && r <= '9':
			return r
		case r == ' ' || r == '-' || r == '\u00a0':
			return -1
		}
		return 'x'
	}, number)
	if len(digits) < 12 || len(digits) > 19 || strings.ContainsRune(digits, 'x') || !luhn(digits) {
		return card{}, badNumber
	}
	month, year, ok := parseExpiry(exp)
	if !ok {
		return card{}, badExpiry
	}
	// a card works until the end of its expiry month
	if !now.Before(time.Date(year, time.Month(month)+1, 1, 0, 0, 0, 0, time.UTC)) {
		return card{}, expired
	}
	cvv = strings.TrimSpace(cvv)
	if len(cvv) < 3 || len(cvv) > 4 || strings.Trim(cvv, "0123456789") != "" {
		return card{}, badCVV
	}
	return card{number: digits}, ""
}

// parseExpiry reads "MM/YY", "MM / YY", "MMYY" or "MM/YYYY".
func parseExpiry(s string) (month, year int, ok bool) {
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '/' || r == '.' || r == '-' {
			return -1
		}
		return r
	}, s)
	if len(s) != 4 && len(s) != 6 {
		return 0, 0, false
	}
	m, err1 := strconv.Atoi(s[:2])
	y, err2 := strconv.Atoi(s[2:])
	if err1 != nil || err2 != nil || m < 1 || m > 12 || y < 0 {
		return 0, 0, false
	}
	if len(s) == 4 {
		y += 2000
	}
	return m, y, true
}

// luhn reports whether digits pass the Luhn check.
func luhn(digits string) bool {
	sum := 0
	double := false
	for i := len(digits) - 1; i >= 0; i-- {
		d := int(digits[i] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}

// outcome is what the sandbox decides for a card.
func (c card) outcome() (check.AttemptStatus, string) {
	if reason, ok := declines[c.number]; ok {
		return check.AttemptFailure, reason
	}
	return check.AttemptSuccess, ""
}

// last4 is all of the number the sandbox keeps.
func (c card) last4() string { return c.number[len(c.number)-4:] }
