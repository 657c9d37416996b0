package pay

import (
	"io"
	"net/http"

	"github.com/paylastic/edge/core/htmlw"
)

// The pages used to be template files (templates/*.html). They are Go code
// now (html.go): the template engine's reflection made the linker keep every
// exported method of every reachable type, taking the WebAssembly guest
// from ~7 MB to ~22 MB and its cold compile from 2 s to over a minute (see
// package htmlw). Do not bring templates back.

// view is what a page shows.
type view struct {
	Lang  string
	T     map[string]string
	Title string
	// Switch is the address of this page in the other language; empty on
	// pages that answer a POST.
	Switch string

	// check pages
	Result   bool   // the result page rather than the payment page
	State    string // open, pending, failed, paid, refunded, expired, cancelled
	Merchant string
	Amount   string
	Valid    string // the check's expiry, Kyiv time
	Reason   string // the bank's words for a failure
	Pay      string // the pay form's action
	Again    string // the result page again, while the bank has not answered
	// Test: the check was paid (or is being paid) with a test payment.
	Test bool
	// the receipt of a paid check: what a buyer shows the cashier
	Number string // the check's short id, as the cashier's chat shows it
	PaidAt string // the bank's time of the payment, Kyiv
	Card   string // the paying card, masked; empty if the bank did not say

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
	c, ok := contents[name]
	if !ok {
		p.Log.Error("render page: no such page", "page", name)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	var b htmlw.Builder
	layout(&b, &v, c)
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Language", v.Lang)
	h.Add("Vary", "Accept-Language")
	w.WriteHeader(status)
	if _, err := io.WriteString(w, b.String()); err != nil {
		p.Log.Error("render page", "page", name, "err", err)
	}
}

// message renders a page that only says something: not found, unavailable.
func (p *Pages) message(w http.ResponseWriter, status int, lang, title, msg string) {
	p.render(w, status, "message", view{Lang: lang, Title: messages[lang][title], Message: msg})
}

func (p *Pages) notFound(w http.ResponseWriter, lang string) {
	p.message(w, http.StatusNotFound, lang, "notfound_title", "notfound")
}
