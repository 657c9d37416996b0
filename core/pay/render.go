package pay

import (
	"embed"
	"html/template"
	"net/http"
	"sync"
)

//go:embed templates/*.html
var templateFS embed.FS

// parsed returns a page's template (layout.html plus the page's file),
// parsed by the first request that renders it: never at start-up, as each
// Worker request runs a fresh instance (DESIGN §4).
func parsed(name string) func() (*template.Template, error) {
	return sync.OnceValues(func() (*template.Template, error) {
		return template.New(name).Option("missingkey=error").ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html")
	})
}

var templates = map[string]func() (*template.Template, error){
	"check":    parsed("check"),
	"message":  parsed("message"),
	"redirect": parsed("redirect"),
}

// view is what a page shows.
type view struct {
	Lang  string
	T     map[string]string
	Title string
	// Switch is the address of this page in the other language; empty on
	// pages that answer a POST.
	Switch string
	// Refresh asks the browser to reload in 3 s (while the bank has not
	// answered).
	Refresh bool

	// check pages
	Result   bool   // the result page rather than the payment page
	State    string // open, pending, failed, paid, refunded, expired, cancelled
	Merchant string
	Amount   string
	Valid    string // the check's expiry, Kyiv time
	Reason   string // the bank's words for a failure
	Pay      string // the pay form's action

	// message pages
	Message string // a key of messages

	// redirect page (a form posted to the bank)
	Action string
	Fields []field
}

type field struct{ Name, Value string }

// render writes the page named name with status. Pages are never cached:
// they show a state that changes.
func (p *Pages) render(w http.ResponseWriter, status int, name string, v view) {
	v.T = messages[v.Lang]
	if v.Title == "" {
		v.Title = v.T["title"]
	}
	t, err := templates[name]()
	if err != nil {
		p.log().Error("parse page", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Language", v.Lang)
	h.Add("Vary", "Accept-Language")
	w.WriteHeader(status)
	if err := t.ExecuteTemplate(w, "layout", v); err != nil {
		p.log().Error("render page", "page", name, "err", err)
	}
}

// message renders a page that only says something: not found, unavailable.
func (p *Pages) message(w http.ResponseWriter, status int, lang, title, msg string) {
	p.render(w, status, "message", view{Lang: lang, Title: messages[lang][title], Message: msg})
}

func (p *Pages) notFound(w http.ResponseWriter, lang string) {
	p.message(w, http.StatusNotFound, lang, "notfound_title", "notfound")
}
