package pay

import (
	"log/slog"
	"net/http"
	"strings"

	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/httpx"
	"github.com/paylastic/edge/core/text"
)

// apiPrefixes start the routes whose clients are programs: they get JSON
// errors whatever they accept.
var apiPrefixes = []string{"/admin", "/telegram/", "/viber/", "/bank/", "/_test/"}

// NotFound answers a route nobody serves. A browser opening a page (GET or
// HEAD, Accept naming text/html) gets the 404 page in the buyer's language
// (?lang=, then Accept-Language); everything else, and anything under the
// API, webhook and callback routes, gets the JSON error the API speaks.
func NotFound(log *slog.Logger) http.HandlerFunc {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	p := &Pages{Log: log}
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Vary", "Accept")
		if !wantsPage(r) {
			httpx.Error(w, log, errs.E(errs.NotFound, "no such route: %s %s", r.Method, r.URL.Path))
			return
		}
		p.notFound(w, text.RequestLang(r))
	}
}

// wantsPage reports whether r is a browser asking for a page.
func wantsPage(r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	for _, p := range apiPrefixes {
		if strings.HasPrefix(r.URL.Path, p) {
			return false
		}
	}
	return strings.Contains(r.Header.Get("Accept"), "text/html")
}
