package pay

import (
	"net/http"
	"sort"
	"strconv"
	"strings"
)

// pickLang chooses the page's language: ?lang= (or the form's lang field),
// then the browser's Accept-Language, then Ukrainian.
func pickLang(r *http.Request) string {
	for _, v := range []string{r.URL.Query().Get("lang"), r.PostFormValue("lang")} {
		if v == "uk" || v == "en" {
			return v
		}
	}
	return acceptLanguage(r.Header.Get("Accept-Language"))
}

// acceptLanguage returns "uk" or "en", whichever the header prefers; "uk"
// when it names neither. Other languages are passed over: a Russian-only
// browser in Ukraine gets Ukrainian.
func acceptLanguage(h string) string {
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
		if (primary == "uk" || primary == "en") && q > 0 {
			prefs = append(prefs, pref{primary, q})
		}
	}
	sort.SliceStable(prefs, func(i, j int) bool { return prefs[i].q > prefs[j].q })
	if len(prefs) > 0 {
		return prefs[0].lang
	}
	return "uk"
}
