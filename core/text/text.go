// Package text holds what every user-facing text of the product shares:
// its two languages, Ukrainian (the default) and English, and clipping a
// text to a messenger's or a log line's limit.
package text

import (
	"net/http"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The product's languages: catalogs, pages and notices exist in these two.
const (
	UK = "uk"
	EN = "en"
)

// Lang reduces a language code (a messenger's "en-GB", a stored "uk", a
// form field) to one of the product's: EN for English in any spelling
// ("en", "en-US", "EN_gb"), UK (the default) for everything else.
func Lang(code string) string {
	if strings.HasPrefix(strings.ToLower(strings.TrimSpace(code)), EN) {
		return EN
	}
	return UK
}

// RequestLang chooses a page's language: ?lang= (or the form's lang field)
// when it is "uk" or "en", then the browser's Accept-Language, then UK.
func RequestLang(r *http.Request) string {
	for _, v := range []string{r.URL.Query().Get("lang"), r.PostFormValue("lang")} {
		if v == UK || v == EN {
			return v
		}
	}
	return AcceptLanguage(r.Header.Get("Accept-Language"))
}

// AcceptLanguage returns UK or EN, whichever the header prefers; UK when
// it names neither. Other languages are passed over: a Russian-only
// browser in Ukraine gets Ukrainian.
func AcceptLanguage(h string) string {
	type pref struct {
		lang string
		q    float64
	}
	var prefs []pref
	for i, part := range strings.Split(h, ",") {
		if i >= 20 {
			break
		}
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		primary, _, _ := strings.Cut(strings.ToLower(tag), "-")
		if (primary == UK || primary == EN) && q > 0 {
			prefs = append(prefs, pref{primary, q})
		}
	}
	sort.SliceStable(prefs, func(i, j int) bool { return prefs[i].q > prefs[j].q })
	if len(prefs) > 0 {
		return prefs[0].lang
	}
	return UK
}

// Clip shortens s to at most n characters (runes), the last of them "…"
// when it was cut.
func Clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	if n <= 0 {
		return ""
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
