package pay

import (
	"errors"
	"net/http"
	"time"

	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/checks"
	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/kyiv"
	"github.com/paylastic/edge/core/merchant"
	"github.com/paylastic/edge/core/text"
)

// linked is what a page knows of the check its link names: the token in
// the link, what the token carries, the merchant and the state.
type linked struct {
	token string
	ref   check.Ref
	m     merchant.Merchant
	st    check.State
	snap  checks.Snapshot // st as read, with its version: a claim starts from it
}

// load reads the check named by the path's {token}. On failure it has already
// answered: 404 for a link that is not ours (nothing more is said), 503 when
// storage fails. A signed link whose merchant is not visible is taken for
// KV lag (503, try again), not for a forgery.
func (p *Pages) load(w http.ResponseWriter, r *http.Request, lang string) (linked, bool) {
	c := linked{token: r.PathValue("token")}
	var err error
	if c.ref, err = p.Checks.Decode(c.token); err != nil {
		p.notFound(w, lang)
		return c, false
	}
	ctx := r.Context()
	// the state and the merchant are read at once: on the Worker both are
	// D1 round trips, and the request waits once for the two
	merchantErr := make(chan error, 1)
	go func() {
		var err error
		c.m, err = p.Checks.Merchants.Get(ctx, c.ref.Merchant)
		merchantErr <- err
	}()
	c.snap, err = p.Checks.Snapshot(ctx, c.ref)
	c.st = c.snap.State
	err = errors.Join(err, <-merchantErr)
	if err != nil {
		p.Log.Error("load check", "check", c.ref.ID, "code", errs.CodeOf(err), "err", err)
		p.message(w, http.StatusServiceUnavailable, lang, "error_title", "unavailable")
		return c, false
	}
	return c, true
}

// loadEnabled is load and the check's state now, when its merchant may take
// payments; otherwise it has answered the buyer and is not ok.
func (p *Pages) loadEnabled(w http.ResponseWriter, r *http.Request, lang string) (c linked, state, reason string, ok bool) {
	if c, ok = p.load(w, r, lang); !ok {
		return c, "", "", false
	}
	state, reason = stateOf(c.st, c.ref, p.now())
	if p.disabled(w, c, lang, state) {
		return c, state, reason, false
	}
	return c, state, reason, true
}

// page is GET /p/{token}: the payment page.
func (p *Pages) page(w http.ResponseWriter, r *http.Request) {
	lang := text.RequestLang(r)
	c, state, reason, ok := p.loadEnabled(w, r, lang)
	if !ok {
		return
	}
	v := p.checkView(c, lang, state, reason)
	v.Switch = "/p/" + c.token + "?lang=" + messages[lang]["other_code"]
	p.render(w, http.StatusOK, "check", v)
}

// disabled answers the page of a disabled merchant's check that could
// still be paid: 410, and nothing to pay. A check paid or refunded before
// keeps its page: the buyer's receipt stays valid.
func (p *Pages) disabled(w http.ResponseWriter, c linked, lang, state string) bool {
	if c.m.Active() || state == "paid" || state == "refunded" {
		return false
	}
	p.message(w, http.StatusGone, lang, "error_title", "disabled")
	return true
}

// stateOf is what the buyer is shown: the check's status, with "expired"
// for an open check past its expiry that the scheduled pass has not moved
// yet, and for an open one the outcome of its last attempt ("pending",
// "failed") or "open".
func stateOf(st check.State, ref check.Ref, now time.Time) (state, reason string) {
	switch st.Status {
	case check.Open:
	case check.Paid, check.Refunded, check.Expired, check.Cancelled:
		return string(st.Status), ""
	default:
		return "open", ""
	}
	if !now.Before(ref.Expires) {
		return "expired", ""
	}
	if a, ok := lastAttempt(st); ok {
		switch a.Status {
		case check.AttemptPending:
			return "pending", ""
		case check.AttemptFailure:
			return "failed", a.Reason
		}
	}
	return "open", ""
}

func lastAttempt(st check.State) (check.Attempt, bool) {
	if len(st.Attempts) == 0 {
		return check.Attempt{}, false
	}
	return st.Attempts[len(st.Attempts)-1], true
}

func (p *Pages) checkView(c linked, lang, state, reason string) view {
	v := view{
		Lang:     lang,
		Title:    messages[lang][titleKey(state)],
		State:    state,
		Merchant: c.m.Name,
		Amount:   c.ref.Amount.Format(lang),
		Valid:    kyiv.In(c.ref.Expires).Format("15:04, 02.01.2006"),
		Reason:   reasonText(reason, lang),
		Pay:      "/p/" + c.token + "/pay",
		Number:   check.ShortID(c.ref.ID),
	}
	if a, ok := lastAttempt(c.st); ok {
		v.Test = a.Test
	}
	for _, a := range c.st.Attempts {
		if a.Status != check.AttemptSuccess && a.Status != check.AttemptReversed {
			continue
		}
		v.Test, v.Card = a.Test, a.Card
		at := a.Modified
		if at.IsZero() {
			at = c.st.Updated
		}
		if !at.IsZero() {
			v.PaidAt = kyiv.In(at).Format("15:04, 02.01.2006")
		}
		break
	}
	return v
}

// titleKey names a check page's heading: «Оплата» only while it can be paid,
// otherwise what became of the check.
func titleKey(state string) string {
	switch state {
	case "paid", "expired":
		return "title_" + state
	case "refunded":
		return "title_refund"
	case "cancelled":
		return "title_cancel"
	}
	return "title"
}
