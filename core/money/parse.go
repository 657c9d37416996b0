package money

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Reason says why a typed amount was refused. Bots map it to a sentence in the
// operator's language; the values are stable and appear in golden files.
type Reason string

const (
	Empty      Reason = "empty"       // nothing but spaces or a currency word
	NotANumber Reason = "not_number"  // letters, exponents, two separators, ...
	Zero       Reason = "zero"        // 0, 0,00
	Negative   Reason = "negative"    // -5
	TooPrecise Reason = "too_precise" // more than two decimals: 12.345
	TooLarge   Reason = "too_large"   // over the limit passed to Parse
)

// ParseError is returned by Parse. Limit is set for TooLarge.
type ParseError struct {
	Reason Reason
	Input  string
	Limit  Amount
}

func (e *ParseError) Error() string {
	if e.Reason == TooLarge {
		return "amount " + quote(e.Input) + ": over the limit of " + e.Limit.Decimal()
	}
	return "amount " + quote(e.Input) + ": " + string(e.Reason)
}

func quote(s string) string {
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return `"` + s + `"`
}

// currency words a cashier may type before or after the number, lower case.
var suffixes = []string{"гривень", "гривні", "гривня", "грн.", "грн", "uah", "hrn", "₴"}

// Parse reads an amount of hryvnias as a cashier types it and returns it in
// kopiykas. It accepts "12", "12,5", "12.50", "1 200,00", "12 грн", "12uah",
// "₴12"; a comma or a dot is the decimal separator, spaces group thousands.
// It refuses, with a *ParseError, anything empty, non-numeric (letters, "1e9",
// both a comma and a dot), zero, negative, with more than two decimals, or
// over limit (limit <= 0 or above MaxAmount means MaxAmount).
func Parse(s string, limit Amount) (Amount, error) {
	if limit <= 0 || limit > MaxAmount {
		limit = MaxAmount
	}
	fail := func(r Reason) (Amount, error) { return 0, &ParseError{Reason: r, Input: s, Limit: limit} }
	if len(s) > 64 || !utf8.ValidString(s) {
		return fail(NotANumber)
	}
	t := strings.ToLower(strings.TrimSpace(s))
	t = strings.TrimSpace(strings.TrimPrefix(t, "₴"))
	for _, suf := range suffixes {
		if strings.HasSuffix(t, suf) {
			t = strings.TrimSpace(strings.TrimSuffix(t, suf))
			break
		}
	}
	if t == "" {
		return fail(Empty)
	}
	negative := false
	if r, n := utf8.DecodeRuneInString(t); r == '-' || r == '−' {
		negative = true
		t = strings.TrimSpace(t[n:])
	}
	whole, frac, ok := splitNumber(t)
	if !ok {
		return fail(NotANumber)
	}
	if len(frac) > 2 {
		return fail(TooPrecise)
	}
	if negative {
		return fail(Negative)
	}
	if len(whole) > 9 { // more than 999 999 999 грн: over any limit, and no overflow
		return fail(TooLarge)
	}
	var a Amount
	for _, c := range whole {
		a = a*10 + Amount(c-'0')
	}
	a *= Hryvnia
	switch len(frac) {
	case 1:
		a += Amount(frac[0]-'0') * 10
	case 2:
		a += Amount(frac[0]-'0')*10 + Amount(frac[1]-'0')
	}
	if a == 0 {
		return fail(Zero)
	}
	if a > limit {
		return fail(TooLarge)
	}
	return a, nil
}

// splitNumber splits "1 200,50" into "1200" and "50". Thousand separators
// (any Unicode space) are allowed only between groups of three digits; the
// decimal separator is one comma or one dot, optionally followed by digits.
func splitNumber(t string) (whole, frac string, ok bool) {
	sep := strings.IndexAny(t, ",.")
	if sep >= 0 {
		frac = t[sep+1:]
		t = t[:sep]
		if frac == "" && t == "" {
			return "", "", false
		}
		for _, c := range frac {
			if c < '0' || c > '9' {
				return "", "", false
			}
		}
	}
	groups := strings.FieldsFunc(t, unicode.IsSpace)
	if len(groups) == 0 {
		if sep >= 0 && frac != "" {
			return "0", frac, true // ",50"
		}
		return "", "", false
	}
	for i, g := range groups {
		for _, c := range g {
			if c < '0' || c > '9' {
				return "", "", false
			}
		}
		if len(groups) > 1 && ((i == 0 && len(g) > 3) || (i > 0 && len(g) != 3)) {
			return "", "", false
		}
	}
	return strings.Join(groups, ""), frac, true
}

// Within checks a parsed amount against a limit (limit <= 0 or above
// MaxAmount means MaxAmount): a larger one is a *ParseError with reason
// TooLarge and the limit, as Parse would have returned with that limit.
func Within(a, limit Amount) error {
	if limit <= 0 || limit > MaxAmount {
		limit = MaxAmount
	}
	if a > limit {
		return &ParseError{Reason: TooLarge, Input: a.Decimal(), Limit: limit}
	}
	return nil
}
