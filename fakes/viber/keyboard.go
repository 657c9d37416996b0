package viber

import (
	"encoding/json"
	"fmt"
)

// Keyboard limits from https://creators.viber.com/docs/bots-api/resources/messaging/keyboards.
const (
	maxButtonText = 250
	// inputFieldStateAPI is the min_api_version InputFieldState needs.
	inputFieldStateAPI = 4
)

// validateKeyboard checks a send_message "keyboard" the way the keyboard
// docs describe it: "Type":"keyboard", a non-empty "Buttons" array, and for
// each button ActionBody required, Columns 1–6, Rows 1–2, Text ≤250
// characters, enumerated ActionType/TextSize/…, and at least one of Text,
// BgMedia, Image, BgColor. Field names are case-sensitive.
// It returns status 3 (badData) describing the first problem.
//
// The real API may accept some of these and report them later in a "failed"
// callback; the fake rejects them at once so tests see the mistake.
func validateKeyboard(raw json.RawMessage, minAPI int64) *apiError {
	kb, err := parseObject(raw)
	if err != nil {
		return badData("keyboard must be an object")
	}
	if t, _, e := kb.str("Type"); e != nil {
		return prefix("keyboard.", e)
	} else if t != "keyboard" {
		return badData(`keyboard.Type must be "keyboard", got %q`, t)
	}
	if _, _, e := kb.boolean("DefaultHeight"); e != nil {
		return prefix("keyboard.", e)
	}
	if e := colorField(kb, "BgColor"); e != nil {
		return prefix("keyboard.", e)
	}
	if s, ok, e := kb.str("InputFieldState"); e != nil {
		return prefix("keyboard.", e)
	} else if ok {
		if e := oneOf("InputFieldState", s, "regular", "minimized", "hidden"); e != nil {
			return prefix("keyboard.", e)
		}
		if minAPI < inputFieldStateAPI {
			return badData("keyboard.InputFieldState needs min_api_version >= %d, got %d", inputFieldStateAPI, minAPI)
		}
	}
	if e := intField(kb, "ButtonsGroupColumns", 1, 6); e != nil {
		return prefix("keyboard.", e)
	}
	if e := intField(kb, "ButtonsGroupRows", 1, 7); e != nil {
		return prefix("keyboard.", e)
	}
	buttons, ok, e := kb.array("Buttons")
	if e != nil {
		return prefix("keyboard.", e)
	}
	if !ok || len(buttons) == 0 {
		return badData("keyboard.Buttons is required and must not be empty")
	}
	for i, b := range buttons {
		if e := validateButton(b); e != nil {
			return prefix(fmt.Sprintf("keyboard.Buttons[%d].", i), e)
		}
	}
	return nil
}

func validateButton(raw json.RawMessage) *apiError {
	b, err := parseObject(raw)
	if err != nil {
		return badData("must be an object")
	}
	if e := intField(b, "Columns", 1, 6); e != nil {
		return e
	}
	if e := intField(b, "Rows", 1, 2); e != nil {
		return e
	}
	actionType := "reply"
	if s, ok, e := b.str("ActionType"); e != nil {
		return e
	} else if ok {
		actionType = s
		if e := oneOf("ActionType", s, "reply", "open-url", "location-picker", "share-phone", "none"); e != nil {
			return e
		}
	}
	body, _, e := b.str("ActionBody")
	if e != nil {
		return e
	}
	if body == "" {
		return badData("ActionBody is required")
	}
	if actionType == "open-url" {
		if _, e := parseURL("ActionBody", body); e != nil {
			return e
		}
	}
	text, hasText, e := b.str("Text")
	if e != nil {
		return e
	}
	if e := maxLen("Text", text, maxButtonText); e != nil {
		return e
	}
	if e := colorField(b, "BgColor"); e != nil {
		return e
	}
	enums := []struct {
		key     string
		allowed []string
	}{
		{"TextSize", []string{"small", "regular", "large"}},
		{"TextVAlign", []string{"top", "middle", "bottom"}},
		{"TextHAlign", []string{"left", "center", "right"}},
		{"OpenURLType", []string{"internal", "external"}},
	}
	for _, en := range enums {
		if s, ok, e := b.str(en.key); e != nil {
			return e
		} else if ok {
			if e := oneOf(en.key, s, en.allowed...); e != nil {
				return e
			}
		}
	}
	if _, _, e := b.boolean("Silent"); e != nil {
		return e
	}
	visible := hasText && text != ""
	for _, key := range []string{"BgMedia", "Image", "BgColor"} {
		s, ok, e := b.str(key)
		if e != nil {
			return e
		}
		visible = visible || ok && s != ""
	}
	if !visible {
		return badData("needs one of Text, BgMedia, Image, BgColor")
	}
	return nil
}

func intField(o object, key string, lo, hi int64) *apiError {
	n, ok, e := o.integer(key)
	if e != nil || !ok {
		return e
	}
	return inRange(key, n, lo, hi)
}

func colorField(o object, key string) *apiError {
	s, ok, e := o.str(key)
	if e != nil || !ok {
		return e
	}
	if !isColor(s) {
		return badData("%s %q is not a #RRGGBB color", key, s)
	}
	return nil
}

// prefix qualifies the field named in e.detail with where it sits.
func prefix(p string, e *apiError) *apiError {
	return &apiError{e.status, p + e.detail}
}
