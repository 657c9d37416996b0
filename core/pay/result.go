package pay

import (
	"context"
	"net/http"

	"github.com/paylastic/edge/core/bank"
	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/httpx"
	"github.com/paylastic/edge/core/text"
)

// result is GET (or POST) /p/{token}/result, where the bank sends the buyer
// back. Whatever the request carries is ignored: the page shows the check's
// state and, while that says the last attempt is pending, asks the bank and
// applies its answer (the bank is the source of truth: invariant 3,
// docs/invariants.md), at most once per StatusEvery per attempt on this
// instance. While the bank has no final word the page offers to ask again.
func (p *Pages) result(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, httpx.MaxBody)
	lang := text.RequestLang(r)
	c, ok := p.load(w, r, lang)
	if !ok {
		return
	}
	if a, ok := lastAttempt(c.st); ok && c.st.Status == check.Open && a.Status == check.AttemptPending {
		refused := false
		if p.asked.due(a.Provider+":"+a.ProviderRef, p.now()) {
			c.st, refused = p.ask(r.Context(), c, a)
		}
		// refused for good, now or since the attempt began (the merchant's
		// bank error, cleared when the admin sets the bank again): no
		// confirmation can come, so the buyer is not told to wait for one
		if e := c.m.BankError; refused || e != nil && !e.At.Before(a.Created) {
			p.message(w, http.StatusUnprocessableEntity, lang, "error_title", "card_unavailable")
			return
		}
	}
	state, reason := stateOf(c.st, c.ref, p.now())
	if state == "open" && len(c.st.Attempts) == 0 {
		// the attempt this buyer started is not visible here yet (KV lag)
		state = "pending"
	}
	v := p.checkView(c, lang, state, reason)
	v.Result = true
	v.Title = messages[lang]["title_result"]
	if state == "pending" {
		v.Again = "/p/" + c.token + "/result?lang=" + lang
	}
	if r.Method == http.MethodGet {
		v.Switch = "/p/" + c.token + "/result?lang=" + messages[lang]["other_code"]
	}
	p.render(w, http.StatusOK, "check", v)
}

// ask asks the bank about a pending attempt and applies a final answer. If
// the bank cannot be asked, or the answer cannot be stored, the page still
// shows what is known; the scheduled pass will settle it.
//
// A refusal of the merchant for good (bank.Refused: its keys or shop) is
// reported, recorded once for the cashier and the admin (checks.Refused).
func (p *Pages) ask(ctx context.Context, c linked, a check.Attempt) (st check.State, refused bool) {
	ev, err := p.Banks.Status(ctx, c.m, c.ref, a)
	if bank.Refused(err) {
		p.Log.Error("result: the bank refused the merchant", "check", c.ref.ID, "merchant", c.m.ID, "provider", c.m.Provider, "err", err)
		p.Checks.Refused(ctx, c.ref, c.m.ID, err)
		return c.st, true
	}
	if err != nil {
		p.Log.Warn("ask bank", "check", c.ref.ID, "attempt", a.ProviderRef, "err", err)
		return c.st, false
	}
	if ev.Status == check.AttemptPending {
		return c.st, false
	}
	st, err = p.Checks.Apply(ctx, c.ref, ev)
	if err != nil {
		p.Log.Error("apply bank status", "check", c.ref.ID, "attempt", a.ProviderRef, "err", err)
		shown := c.st
		shown.Attempts = append([]check.Attempt(nil), c.st.Attempts...)
		shown.Apply(ev, p.now())
		return shown, false
	}
	return st, false
}

func reasonText(reason, lang string) string { return bank.Reason(reason, lang) }
