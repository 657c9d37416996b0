package pay

import (
	"net/http"
	"net/url"
	"sort"
	"time"

	"github.com/paylastic/edge/core/bank"
	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/httpx"
)

// minTime is the least time a bank's page must have left to be worth
// sending the buyer to.
const minTime = time.Minute

// start is POST /p/{ref}/pay: it sends the buyer to the bank. An unfinished
// payment that is still valid is resumed, so opening the link twice never
// makes two payments; otherwise the merchant's bank starts a new one and its
// attempt is recorded in the check's state (one KV write). A check that is
// paid, expired or cancelled is refused (409) with its page: nothing starts.
func (p *Pages) start(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	_ = r.ParseForm()
	lang := pickLang(r)
	c, ok := p.load(w, r, lang)
	if !ok {
		return
	}
	ctx := r.Context()
	now := p.now()
	state, reason := stateOf(c.st, c.ref, now)
	if state != "open" && state != "pending" && state != "failed" {
		p.render(w, http.StatusConflict, "check", p.checkView(c, lang, state, reason))
		return
	}
	if a, ok := c.st.Reusable(now); ok {
		p.resume(w, r, c, lang, *a)
		return
	}
	if !now.Add(minTime).Before(c.ref.Expires) {
		p.render(w, http.StatusConflict, "check", p.checkView(c, lang, "expired", ""))
		return
	}
	prov, err := p.Banks.Provider(c.m.Provider)
	if err != nil {
		p.bankDown(w, lang, c, err)
		return
	}
	pay, err := prov.Start(ctx, p.checkout(c, lang, len(c.st.Attempts)+1))
	if err != nil {
		p.bankDown(w, lang, c, err)
		return
	}
	c.st.Attempts = append(c.st.Attempts, pay.Attempt)
	c.st.Updated = now
	if err := p.Checks.SaveState(ctx, c.ref.ID, c.st); err != nil {
		p.log().Error("record attempt", "check", c.ref.ID, "err", err)
		p.message(w, http.StatusServiceUnavailable, lang, "error_title", "unavailable")
		return
	}
	p.log().Info("payment started", "check", c.ref.ID, "provider", pay.Attempt.Provider, "attempt", pay.Attempt.ProviderRef)
	p.redirect(w, r, c, lang, pay.Redirect)
}

// checkout is what the merchant's bank is told about attempt seq.
func (p *Pages) checkout(c linked, lang string, seq int) bank.Checkout {
	result := p.link(c.link) + "/result"
	if lang == "en" {
		result += "?lang=en"
	}
	return bank.Checkout{
		Merchant:    c.m,
		Ref:         c.ref,
		Link:        c.link,
		Seq:         seq,
		Lang:        lang,
		ResultURL:   result,
		CallbackURL: p.BaseURL + "/bank/" + c.m.Provider + "/callback",
		Valid:       c.ref.Expires,
	}
}

// resume sends the buyer back to an unfinished payment.
func (p *Pages) resume(w http.ResponseWriter, r *http.Request, c linked, lang string, a check.Attempt) {
	prov, err := p.Banks.For(c.m, a)
	if err != nil {
		p.bankDown(w, lang, c, err)
		return
	}
	rd := bank.Redirect{URL: a.PayURL}
	if res, ok := prov.(bank.Resumer); ok {
		if rd, err = res.Resume(r.Context(), p.checkout(c, lang, len(c.st.Attempts)), a); err != nil {
			p.bankDown(w, lang, c, err)
			return
		}
	}
	p.redirect(w, r, c, lang, rd)
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

func (p *Pages) bankDown(w http.ResponseWriter, lang string, c linked, err error) {
	p.log().Error("start payment", "check", c.ref.ID, "provider", c.m.Provider, "err", err)
	p.message(w, http.StatusServiceUnavailable, lang, "error_title", "bank_down")
}
