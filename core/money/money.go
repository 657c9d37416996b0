// Package money holds amounts of hryvnias as integer kopiykas, parses what a
// cashier types and formats amounts for people.
//
// Floating point never touches an amount: 12,50 грн is Amount(1250).
package money

import (
	"strconv"
	"strings"
)

// Amount is a sum of money in kopiykas (1/100 of a hryvnia).
type Amount int64

// Hryvnia is one hryvnia in kopiykas.
const Hryvnia Amount = 100

// MaxAmount is the hard ceiling for any single check, whatever a merchant's
// limit says: 999 999,99 грн. It keeps every amount far from int64 overflow and
// inside what Ukrainian acquirers accept for one card payment.
const MaxAmount Amount = 1_000_000*Hryvnia - 1

// Format renders the amount for people: "12,00 грн" in Ukrainian and
// "UAH 12.00" in English. Thousands are grouped with a narrow no-break space
// in Ukrainian ("1 200,00 грн") and a comma in English ("UAH 1,200.00").
func (a Amount) Format(lang string) string {
	neg := a < 0
	if neg {
		a = -a
	}
	whole := int64(a / Hryvnia)
	frac := int64(a % Hryvnia)
	sep, dec := "\u202f", ","
	if lang == "en" {
		sep, dec = ",", "."
	}
	s := group(strconv.FormatInt(whole, 10), sep) + dec + twoDigits(frac)
	if neg {
		s = "-" + s
	}
	if lang == "en" {
		return "UAH " + s
	}
	return s + " грн"
}

// Decimal renders the amount as a plain decimal number of hryvnias with two
// decimals and a dot ("12.50"), the form bank APIs such as LiqPay expect.
func (a Amount) Decimal() string {
	neg := a < 0
	if neg {
		a = -a
	}
	s := strconv.FormatInt(int64(a/Hryvnia), 10) + "." + twoDigits(int64(a%Hryvnia))
	if neg {
		return "-" + s
	}
	return s
}

// String is the Ukrainian form; it makes %v print something readable.
func (a Amount) String() string { return a.Format("uk") }

func twoDigits(n int64) string {
	if n < 10 {
		return "0" + strconv.FormatInt(n, 10)
	}
	return strconv.FormatInt(n, 10)
}

func group(digits, sep string) string {
	if len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	head := len(digits) % 3
	if head > 0 {
		b.WriteString(digits[:head])
	}
	for i := head; i < len(digits); i += 3 {
		if b.Len() > 0 {
			b.WriteString(sep)
		}
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}
