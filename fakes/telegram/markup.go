package telegram

import (
	"encoding/json"
	"net/url"
)

// inlineActions are the InlineKeyboardButton fields of which exactly one must
// be set (https://core.telegram.org/bots/api#inlinekeyboardbutton).
var inlineActions = []string{
	"url", "callback_data", "web_app", "login_url", "switch_inline_query",
	"switch_inline_query_current_chat", "switch_inline_query_chosen_chat",
	"copy_text", "callback_game", "pay",
}

// replyMarkup reads the reply_markup parameter: nil when absent, otherwise
// compact JSON of a valid InlineKeyboardMarkup, ReplyKeyboardMarkup,
// ReplyKeyboardRemove or ForceReply.
func replyMarkup(p params) ([]byte, *apiError) {
	v, ok, err := p.json("reply_markup")
	if !ok {
		return nil, nil
	}
	m, isObject := v.(map[string]any)
	if err != nil || !isObject {
		return nil, errMarkup
	}
	switch {
	case m["inline_keyboard"] != nil:
		rows, ok := buttonRows(m["inline_keyboard"])
		if !ok {
			return nil, errMarkup
		}
		for _, row := range rows {
			for _, b := range row {
				if aerr := checkInlineButton(b); aerr != nil {
					return nil, aerr
				}
			}
		}
	case m["keyboard"] != nil:
		rows, ok := buttonRows(m["keyboard"])
		if !ok {
			return nil, errMarkup
		}
		for _, row := range rows {
			for _, b := range row {
				if _, isText := b.(string); !isText && textOf(b) == "" {
					return nil, errMarkup
				}
			}
		}
	case m["remove_keyboard"] != nil, m["force_reply"] != nil:
	default:
		return nil, errMarkup
	}
	return marshal(m), nil
}

// buttonRows checks that v is an array of arrays and returns it.
func buttonRows(v any) ([][]any, bool) {
	rows, ok := v.([]any)
	if !ok {
		return nil, false
	}
	out := make([][]any, len(rows))
	for i, r := range rows {
		if out[i], ok = r.([]any); !ok {
			return nil, false
		}
	}
	return out, true
}

func textOf(button any) string {
	b, _ := button.(map[string]any)
	s, _ := b["text"].(string)
	return s
}

func checkInlineButton(button any) *apiError {
	b, ok := button.(map[string]any)
	if !ok {
		return errMarkup
	}
	if _, ok := b["text"].(string); !ok {
		return badRequest(`can't parse inline keyboard button: Field "text" must be of type String`)
	}
	actions := 0
	for _, k := range inlineActions {
		if b[k] != nil {
			actions++
		}
	}
	if actions == 0 {
		return errButtonText
	}
	if d, ok := b["callback_data"]; ok {
		s, isString := d.(string)
		if !isString || len(s) < 1 || len(s) > 64 {
			return errButtonData
		}
	}
	if v, ok := b["url"]; ok {
		s, _ := v.(string)
		u, err := url.Parse(s)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "tg") || (u.Scheme != "tg" && u.Host == "") {
			return errButtonURL
		}
	}
	return nil
}

// isInlineKeyboard reports whether markup is an InlineKeyboardMarkup, the
// only kind Telegram echoes in the Message it returns.
func isInlineKeyboard(markup []byte) bool {
	var m map[string]json.RawMessage
	return json.Unmarshal(markup, &m) == nil && m["inline_keyboard"] != nil
}
