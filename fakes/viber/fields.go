package viber

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"unicode/utf8"
)

// object is a decoded JSON object whose keys are matched exactly.
// encoding/json matches struct fields case-insensitively, which would let a
// client send "buttons" where Viber requires "Buttons"; looking keys up in a
// map keeps the fake as strict as the documented field names.
// A key whose value is null counts as absent.
type object map[string]json.RawMessage

// parseObject decodes raw, which must be a JSON object.
func parseObject(raw []byte) (object, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' {
		return nil, fmt.Errorf("not a JSON object")
	}
	var o object
	if err := json.Unmarshal(raw, &o); err != nil {
		return nil, err
	}
	return o, nil
}

func (o object) raw(key string) (json.RawMessage, bool) {
	v, ok := o[key]
	if !ok || string(v) == "null" {
		return nil, false
	}
	return v, true
}

// str returns the string at key and whether it is present.
func (o object) str(key string) (string, bool, *apiError) {
	v, ok := o.raw(key)
	if !ok {
		return "", false, nil
	}
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		return "", true, badData("%s must be a string", key)
	}
	return s, true, nil
}

// integer returns the integer at key; fractions and strings are bad data.
func (o object) integer(key string) (int64, bool, *apiError) {
	v, ok := o.raw(key)
	if !ok {
		return 0, false, nil
	}
	n, err := strconv.ParseInt(string(v), 10, 64)
	if err != nil {
		return 0, true, badData("%s must be an integer", key)
	}
	return n, true, nil
}

func (o object) boolean(key string) (bool, bool, *apiError) {
	v, ok := o.raw(key)
	if !ok {
		return false, false, nil
	}
	var b bool
	if err := json.Unmarshal(v, &b); err != nil {
		return false, true, badData("%s must be a boolean", key)
	}
	return b, true, nil
}

func (o object) obj(key string) (object, bool, *apiError) {
	v, ok := o.raw(key)
	if !ok {
		return nil, false, nil
	}
	m, err := parseObject(v)
	if err != nil {
		return nil, true, badData("%s must be an object", key)
	}
	return m, true, nil
}

func (o object) array(key string) ([]json.RawMessage, bool, *apiError) {
	v, ok := o.raw(key)
	if !ok {
		return nil, false, nil
	}
	var a []json.RawMessage
	if err := json.Unmarshal(v, &a); err != nil {
		return nil, true, badData("%s must be an array", key)
	}
	return a, true, nil
}

// maxLen rejects s when it has more than max characters.
func maxLen(key, s string, max int) *apiError {
	if n := utf8.RuneCountInString(s); n > max {
		return badData("%s has %d characters, max %d", key, n, max)
	}
	return nil
}

// oneOf rejects a present value outside allowed.
func oneOf(key, s string, allowed ...string) *apiError {
	for _, a := range allowed {
		if s == a {
			return nil
		}
	}
	return badData("%s %q is not one of %q", key, s, allowed)
}

// inRange rejects a present integer outside [lo, hi].
func inRange(key string, n, lo, hi int64) *apiError {
	if n < lo || n > hi {
		return badData("%s %d is not in %d..%d", key, n, lo, hi)
	}
	return nil
}

// parseURL returns u when it is an absolute http or https URL.
func parseURL(key, s string) (*url.URL, *apiError) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, badData("%s %q is not an absolute http(s) URL", key, s)
	}
	return u, nil
}

// isColor reports whether s is a hex color such as "#2db9b9".
func isColor(s string) bool {
	if len(s) != 7 || s[0] != '#' {
		return false
	}
	for _, c := range s[1:] {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}
