// Package htmlw writes HTML pages from plain Go code.
//
// The pages were Go templates once (the standard library's html and text
// template packages). They are Go code now because the template engine
// calls reflect.Value.Method and MethodByName: the linker then keeps every
// exported method of every reachable type (telego alone has thousands),
// which took the WebAssembly guest from ~7 MB to ~22 MB, its cold compile
// from 2 s to over a minute, and slowed the Worker, which instantiates it
// on every request. Do not bring templates (or reflection) back into core/.
//
// The escaping here is the HTML template package's, byte for byte, so that
// the pages did not change when the templates went (the golden files prove
// it): html.EscapeString is not the same, as it leaves '+' and NUL alone.
package htmlw

import "strings"

// Builder collects a page. WriteString writes markup as is; Text and URL
// write values, escaped.
type Builder struct {
	strings.Builder
}

// replacement is the template package's htmlReplacementTable: what its text,
// RCDATA (title) and quoted attribute escapers replace.
var replacement = [...]string{
	0:    "\uFFFD",
	'"':  "&#34;",
	'&':  "&amp;",
	'\'': "&#39;",
	'+':  "&#43;",
	'<':  "&lt;",
	'>':  "&gt;",
}

// Text writes s escaped for HTML text, an RCDATA element (title) or a
// quoted attribute value that is not a URL, as the templates did.
func (b *Builder) Text(s string) {
	written := 0
	// Every byte replaced is ASCII, and no byte of a multi-byte UTF-8
	// sequence is: walking bytes is walking runes here.
	for i := 0; i < len(s); i++ {
		c := s[i]
		if int(c) >= len(replacement) || replacement[c] == "" {
			continue
		}
		b.WriteString(s[written:i])
		b.WriteString(replacement[c])
		written = i + 1
	}
	b.WriteString(s[written:])
}

// URL writes s as the whole value of a quoted URL attribute (href,
// action), as the templates did: a URL with a scheme other than http,
// https or mailto becomes "#ZgotmplZ"; the rest is normalised
// (percent-encoding what may not stand in a URL, keeping valid escapes)
// and then escaped as Text.
func (b *Builder) URL(s string) {
	if !safeURL(s) {
		b.WriteString("#ZgotmplZ")
		return
	}
	b.Text(normalizeURL(s))
}

// safeURL is the template package's isSafeURL: a relative URL, or one whose
// scheme is http, https or mailto.
func safeURL(s string) bool {
	if scheme, _, ok := strings.Cut(s, ":"); ok && !strings.Contains(scheme, "/") {
		return strings.EqualFold(scheme, "http") || strings.EqualFold(scheme, "https") || strings.EqualFold(scheme, "mailto")
	}
	return true
}

// normalizeURL is the template package's urlNormalizer: it percent-encodes
// (in lower-case hex, as it does) every byte that is neither
// unreserved, a reserved delimiter, nor the '%' of a valid escape.
func normalizeURL(s string) string {
	const hex = "0123456789abcdef"
	var b strings.Builder
	written := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
			continue
		case strings.IndexByte("-._~!#$&*+,/:;=?@[]", c) >= 0:
			continue
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			continue
		}
		if written == 0 {
			b.Grow(len(s) + 16)
		}
		b.WriteString(s[written:i])
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&0xf])
		written = i + 1
	}
	if written == 0 {
		return s
	}
	b.WriteString(s[written:])
	return b.String()
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
