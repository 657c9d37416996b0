package pay

import (
	"errors"
	"net/http"
	"net/url"
	"sort"

	"github.com/paylastic/edge/core/bank"
	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/checks"
	"github.com/paylastic/edge/core/httpx"
	"github.com/paylastic/edge/core/text"
)

// start is POST /p/{token}/pay: it sends the buyer to the bank, resuming an
// unfinished payment or starting one (checks.Service.Pay). A check that is
// paid, expired or cancelled is refused (409) with its page: nothing starts.
func (p *Pages) start(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	_ = r.ParseForm()
	lang := text.RequestLang(r)
	c, state, reason, ok := p.loadEnabled(w, r, lang)
	if !ok {
		return
	}
	if state != "open" && state != "pending" && state != "failed" {
		p.render(w, http.StatusConflict, "check", p.checkView(c, lang, state, reason))
		return
	}
	// claimed from the state load read: no second read of it
	rd, err := p.Checks.PayFrom(r.Context(), p.checkout(c, lang), c.snap)
	switch {
	case errors.Is(err, checks.ErrTooLate):
		p.render(w, http.StatusConflict, "check", p.checkView(c, lang, "expired", ""))
	case errors.Is(err, checks.ErrNotPayable):
		// paid, cancelled or expired since this page read it (another tab,
		// another location): show what it is now
		if st, serr := p.Checks.State(r.Context(), c.ref); serr == nil {
			c.st = st
		}
		state, reason := stateOf(c.st, c.ref, p.now())
		p.render(w, http.StatusConflict, "check", p.checkView(c, lang, state, reason))
	case errors.Is(err, checks.ErrBusy):
		w.Header().Set("Retry-After", "2")
		p.message(w, http.StatusServiceUnavailable, lang, "error_title", "busy")
	case bank.Refused(err):
		// for good (the merchant's credentials or shop): no "try again in
		// a minute"; the cashier is told in the chat, the admin sees it on
		// the merchant
		p.Log.Error("pay: the bank refused the merchant", "check", c.ref.ID, "merchant", c.m.ID, "provider", c.m.Provider, "err", err)
		p.message(w, http.StatusUnprocessableEntity, lang, "error_title", "card_unavailable")
	case errors.Is(err, checks.ErrBank):
		p.Log.Error("pay: bank", "check", c.ref.ID, "provider", c.m.Provider, "err", err)
		p.message(w, http.StatusServiceUnavailable, lang, "error_title", "bank_down")
	case err != nil:
		p.Log.Error("pay", "check", c.ref.ID, "err", err)
		p.message(w, http.StatusServiceUnavailable, lang, "error_title", "unavailable")
	default:
		p.redirect(w, r, c, lang, rd)
	}
}

// checkout is what the merchant's bank is told about a payment of c.
func (p *Pages) checkout(c linked, lang string) bank.Checkout {
	result := check.PageURL(p.BaseURL, c.token) + "/result"
	if lang == "en" {
		result += "?lang=en"
	}
	return bank.Checkout{
		Merchant:    c.m,
		Ref:         c.ref,
		Token:       c.token,
		Lang:        lang,
		ResultURL:   result,
		CallbackURL: p.BaseURL + "/bank/" + c.m.Provider + "/callback",
		Valid:       c.ref.Expires,
	}
}

// redirect sends the buyer to the bank: 303, or a page whose form posts
// the bank's fields (LiqPay), which submits itself, or is submitted by its
// button where JavaScript is off.
func (p *Pages) redirect(w http.ResponseWriter, r *http.Request, c linked, lang string, rd bank.Redirect) {
	if rd.Form == nil {
		http.Redirect(w, r, rd.URL, http.StatusSeeOther)
		return
	}
	v := view{Lang: lang, Title: messages[lang]["to_bank_title"], Merchant: c.m.Name, Amount: c.ref.Amount.Format(lang), Action: rd.URL}
	for name, vals := range rd.Form {
		for _, val := range vals {
			v.Fields = append(v.Fields, field{name, val})
		}
	}
	sort.Slice(v.Fields, func(i, j int) bool { return v.Fields[i].Name < v.Fields[j].Name })
	// this page's form submits itself: let it post to the bank alone
	if u, err := url.Parse(rd.URL); err == nil && u.Scheme != "" && u.Host != "" {
		w.Header().Set("Content-Security-Policy", httpx.CSPFormTo(u.Scheme+"://"+u.Host))
	}
	p.render(w, http.StatusOK, "redirect", v)
}
