package monobank

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
)

// exactFields reports the first JSON object key in data that is not, with
// the exact spelling, a json tag of the matching struct in t. encoding/json
// matches names case-insensitively, so "webhookUrl" would otherwise be taken
// for "webHookUrl"; the bank's parser is case-sensitive.
func exactFields(data []byte, t reflect.Type) error {
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	return checkFields(v, t, "")
}

func checkFields(v any, t reflect.Type, path string) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch x := v.(type) {
	case map[string]any:
		if t.Kind() != reflect.Struct {
			return nil
		}
		fields := make(map[string]reflect.Type, t.NumField())
		for i := range t.NumField() {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "" {
				name = f.Name
			}
			fields[name] = f.Type
		}
		for k, sub := range x {
			ft, ok := fields[k]
			if !ok {
				return fmt.Errorf("unknown field %q", path+k)
			}
			if err := checkFields(sub, ft, path+k+"."); err != nil {
				return err
			}
		}
	case []any:
		if t.Kind() != reflect.Slice {
			return nil
		}
		for i, sub := range x {
			if err := checkFields(sub, t.Elem(), fmt.Sprintf("%s[%d].", strings.TrimSuffix(path, "."), i)); err != nil {
				return err
			}
		}
	}
	return nil
}
