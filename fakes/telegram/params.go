package telegram

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
)

// params are the decoded parameters of one call. A JSON body decodes as
// encoding/json does with UseNumber (string, json.Number, bool, nil, []any,
// map[string]any). Query, form and multipart values stay strings, except that
// a value holding a JSON object or array (reply_markup, allowed_updates…) is
// decoded, as Telegram expects such fields JSON-encoded in forms.
type params map[string]any

// textParams are never decoded from forms, even when they look like JSON.
var textParams = map[string]bool{
	"text": true, "caption": true, "parse_mode": true, "chat_id": true, "photo": true,
	"url": true, "secret_token": true, "callback_query_id": true, "inline_message_id": true,
	"ip_address": true,
}

// formValue decodes one query, form or multipart value of parameter key.
func formValue(key, value string) any {
	if textParams[key] {
		return value
	}
	t := strings.TrimSpace(value)
	if t == "" || (t[0] != '{' && t[0] != '[') {
		return value
	}
	v, err := decodeJSON([]byte(t))
	if err != nil {
		return value
	}
	return v
}

func decodeJSON(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

// marshal encodes v compactly without escaping <, > and &.
func marshal(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// has reports whether key is present with a non-empty value.
func (p params) has(key string) bool {
	switch v := p[key].(type) {
	case nil:
		return false
	case string:
		return v != ""
	default:
		return true
	}
}

// str returns the parameter as text: strings as they are, numbers and
// booleans as JSON spells them, objects and arrays as compact JSON.
func (p params) str(key string) string {
	switch v := p[key].(type) {
	case nil:
		return ""
	case string:
		return v
	case json.Number:
		return v.String()
	case bool:
		return strconv.FormatBool(v)
	default:
		return string(marshal(v))
	}
}

// integer returns the parameter as an integer; ok is false when it is absent
// or not an integer.
func (p params) integer(key string) (n int64, ok bool) {
	if !p.has(key) {
		return 0, false
	}
	n, err := strconv.ParseInt(strings.TrimSpace(p.str(key)), 10, 64)
	return n, err == nil
}

// boolean returns the parameter as a boolean: true, "true", "1" or a non-zero number.
func (p params) boolean(key string) bool {
	switch s := strings.ToLower(strings.TrimSpace(p.str(key))); s {
	case "", "false", "0":
		return false
	default:
		return true
	}
}

// json returns the parameter as a decoded JSON value; a string holding JSON
// (as in a form) is decoded. ok is false when the parameter is absent.
func (p params) json(key string) (v any, ok bool, err error) {
	switch v := p[key].(type) {
	case nil:
		return nil, false, nil
	case string:
		if strings.TrimSpace(v) == "" {
			return nil, false, nil
		}
		d, err := decodeJSON([]byte(v))
		return d, true, err
	default:
		return v, true, nil
	}
}

// jsonRoundTrip converts a decoded JSON value into dst through its encoding.
func jsonRoundTrip(v, dst any) error { return json.Unmarshal(marshal(v), dst) }
