package telegram

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// entity is a MessageEntity (https://core.telegram.org/bots/api#messageentity);
// offsets and lengths count UTF-16 code units.
type entity struct {
	Type          string `json:"type"`
	Offset        int    `json:"offset"`
	Length        int    `json:"length"`
	URL           string `json:"url,omitempty"`
	Language      string `json:"language,omitempty"`
	CustomEmojiID string `json:"custom_emoji_id,omitempty"`
}

// htmlTags maps the tags of https://core.telegram.org/bots/api#html-style to entity types.
var htmlTags = map[string]string{
	"b": "bold", "strong": "bold", "i": "italic", "em": "italic",
	"u": "underline", "ins": "underline", "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough",
	"a": "text_link", "code": "code", "pre": "pre", "tg-spoiler": "spoiler", "span": "spoiler",
	"blockquote": "blockquote", "tg-emoji": "custom_emoji",
}

type openTag struct {
	name   string
	offset int // UTF-16 offset in the plain text
	e      entity
}

// parseHTML parses text in parse_mode HTML into plain text and entities, the
// way TDLib does (same error texts), except that a '&' that does not start
// &lt; &gt; &amp; &quot; or a numeric entity is an error. The error is the
// text after "can't parse entities: ".
func parseHTML(src string) (string, []entity, error) {
	var (
		out   strings.Builder
		u16   int
		stack []openTag
		ents  []entity
	)
	for i := 0; i < len(src); {
		switch src[i] {
		case '&':
			r, n := decodeEntity(src[i:])
			if n == 0 {
				return "", nil, fmt.Errorf("unescaped \"&\" at byte offset %d: write &amp;", i)
			}
			if r == utf8.RuneError {
				return "", nil, errors.New("Text contains invalid Unicode characters after decoding HTML entities, check for unmatched surrogate code units")
			}
			out.WriteRune(r)
			u16 += utf16.RuneLen(r)
			i += n
		case '<':
			if i+1 < len(src) && src[i+1] == '/' {
				if len(stack) == 0 {
					return "", nil, fmt.Errorf("Unexpected end tag at byte offset %d", i)
				}
				name, n, err := endTag(src, i)
				if err != nil {
					return "", nil, err
				}
				top := stack[len(stack)-1]
				if name != "" && name != top.name {
					return "", nil, fmt.Errorf("Unmatched end tag at byte offset %d, expected \"</%s>\", found \"</%s>\"", i, top.name, name)
				}
				stack = stack[:len(stack)-1]
				ents = closeEntity(ents, top, u16)
				i += n
				continue
			}
			t, n, err := startTag(src, i)
			if err != nil {
				return "", nil, err
			}
			t.offset = u16
			stack = append(stack, t)
			i += n
		default:
			r, n := utf8.DecodeRuneInString(src[i:])
			out.WriteString(src[i : i+n])
			u16 += utf16.RuneLen(r)
			i += n
		}
	}
	if len(stack) > 0 {
		return "", nil, fmt.Errorf("Can't find end tag corresponding to start tag %q", stack[len(stack)-1].name)
	}
	for i := range ents {
		if ents[i].Type == "code" {
			ents[i].Language = ""
		}
	}
	slices.SortStableFunc(ents, func(a, b entity) int {
		if a.Offset != b.Offset {
			return a.Offset - b.Offset
		}
		return b.Length - a.Length
	})
	return out.String(), ents, nil
}

// closeEntity appends the entity of tag t ending at u16, unless it is empty.
// <pre><code class="language-x">…</code></pre> becomes one pre entity with language x.
func closeEntity(ents []entity, t openTag, u16 int) []entity {
	e := t.e
	e.Offset, e.Length = t.offset, u16-t.offset
	if e.Length == 0 || (e.Type == "text_link" && e.URL == "") {
		return ents
	}
	if n := len(ents); e.Type == "pre" && n > 0 {
		if last := ents[n-1]; last.Type == "code" && last.Language != "" && last.Offset == e.Offset && last.Length == e.Length {
			e.Language = last.Language
			return append(ents[:n-1], e)
		}
	}
	return append(ents, e)
}

// startTag parses the start tag at src[i] ('<'): its entity and length.
func startTag(src string, i int) (openTag, int, error) {
	j := i + 1
	for j < len(src) && !isSpace(src[j]) && src[j] != '>' {
		j++
	}
	if j == len(src) {
		return openTag{}, 0, fmt.Errorf("Unclosed start tag at byte offset %d", i)
	}
	name := strings.ToLower(src[i+1 : j])
	typ, ok := htmlTags[name]
	if !ok {
		return openTag{}, 0, fmt.Errorf("Unsupported start tag %q at byte offset %d", name, i)
	}
	attrs := map[string]string{}
	for {
		for j < len(src) && isSpace(src[j]) {
			j++
		}
		if j == len(src) {
			return openTag{}, 0, fmt.Errorf("Unclosed start tag %q at byte offset %d", name, i)
		}
		if src[j] == '>' {
			j++
			break
		}
		k := j
		for j < len(src) && !isSpace(src[j]) && src[j] != '=' && src[j] != '>' {
			j++
		}
		key := strings.ToLower(src[k:j])
		if key == "" {
			return openTag{}, 0, fmt.Errorf("Empty attribute name in the tag %q at byte offset %d", name, i)
		}
		for j < len(src) && isSpace(src[j]) {
			j++
		}
		if j == len(src) || src[j] != '=' {
			attrs[key] = ""
			continue
		}
		j++
		for j < len(src) && isSpace(src[j]) {
			j++
		}
		if j == len(src) {
			return openTag{}, 0, fmt.Errorf("Unclosed start tag %q at byte offset %d", name, i)
		}
		if q := src[j]; q == '"' || q == '\'' {
			end := strings.IndexByte(src[j+1:], q)
			if end < 0 {
				return openTag{}, 0, fmt.Errorf("Unclosed start tag at byte offset %d", i)
			}
			attrs[key] = decodeAttr(src[j+1 : j+1+end])
			j += end + 2
			continue
		}
		k = j
		for j < len(src) && !isSpace(src[j]) && src[j] != '>' {
			j++
		}
		attrs[key] = src[k:j]
	}
	e := entity{Type: typ}
	switch name {
	case "a":
		e.URL = attrs["href"]
	case "code":
		e.Language, _ = strings.CutPrefix(attrs["class"], "language-")
	case "span":
		if attrs["class"] != "tg-spoiler" {
			return openTag{}, 0, fmt.Errorf("Tag \"span\" must have class \"tg-spoiler\" at byte offset %d", i)
		}
	case "tg-emoji":
		if e.CustomEmojiID = attrs["emoji-id"]; e.CustomEmojiID == "" {
			return openTag{}, 0, fmt.Errorf("Tag \"tg-emoji\" must have attribute \"emoji-id\" at byte offset %d", i)
		}
	case "blockquote":
		if _, ok := attrs["expandable"]; ok {
			e.Type = "expandable_blockquote"
		}
	}
	return openTag{name: name, e: e}, j - i, nil
}

// endTag parses the end tag at src[i] ("</"): its name ("" for "</>") and length.
func endTag(src string, i int) (string, int, error) {
	j := i + 2
	for j < len(src) && !isSpace(src[j]) && src[j] != '>' {
		j++
	}
	name := strings.ToLower(src[i+2 : j])
	for j < len(src) && isSpace(src[j]) {
		j++
	}
	if j == len(src) || src[j] != '>' {
		return "", 0, fmt.Errorf("Unclosed end tag at byte offset %d", i)
	}
	return name, j + 1 - i, nil
}

// namedEntities are the only named entities Telegram decodes.
var namedEntities = []struct {
	name string
	r    rune
}{{"&lt", '<'}, {"&gt", '>'}, {"&amp", '&'}, {"&quot", '"'}}

// decodeEntity decodes the character entity at the start of s ('&'): &lt;
// &gt; &amp; &quot; (';' optional, as TDLib) or &#N; / &#xH;. n is 0 when s
// does not start an entity; r is utf8.RuneError for an invalid code point.
func decodeEntity(s string) (r rune, n int) {
	for _, e := range namedEntities {
		if strings.HasPrefix(s, e.name) {
			n = len(e.name)
			if n < len(s) && s[n] == ';' {
				n++
			}
			return e.r, n
		}
	}
	if !strings.HasPrefix(s, "&#") {
		return 0, 0
	}
	base, j := 10, 2
	if j < len(s) && (s[j] == 'x' || s[j] == 'X') {
		base, j = 16, 3
	}
	k := j
	for k < len(s) && k-j < 8 && isDigit(s[k], base) {
		k++
	}
	if k == j {
		return 0, 0
	}
	v, _ := strconv.ParseInt(s[j:k], base, 32)
	if k < len(s) && s[k] == ';' {
		k++
	}
	if !utf8.ValidRune(rune(v)) || v == 0 {
		return utf8.RuneError, k
	}
	return rune(v), k
}

// decodeAttr decodes the entities of an attribute value, keeping anything else as written.
func decodeAttr(v string) string {
	var b strings.Builder
	for i := 0; i < len(v); {
		if r, n := decodeEntity(v[i:]); n > 0 {
			b.WriteRune(r)
			i += n
			continue
		}
		b.WriteByte(v[i])
		i++
	}
	return b.String()
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func isDigit(c byte, base int) bool {
	switch {
	case c >= '0' && c <= '9':
		return true
	case base == 16:
		return (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
	}
	return false
}
