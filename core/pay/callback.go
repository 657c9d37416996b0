package pay

import (
	"net/http"

	"github.com/paylastic/edge/core/bank"
	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/httpx"
)

// callback is POST /bank/{provider}/callback. The provider authenticates the
// raw body and headers before anything is parsed (401 for a forgery,
// nothing changed); the signed token it carries must be ours (404
// otherwise) and its amount the check's (400); then the event is applied,
// forward only, so duplicates, replays and late events change nothing and
// notify nobody twice. A storage failure answers 503, so the bank retries.
func (p *Pages) callback(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("provider")
	prov, err := p.Banks.Provider(name)
	if err != nil {
		httpx.Error(w, p.Log, err)
		return
	}
	body, err := httpx.ReadBody(w, r)
	if err != nil {
		httpx.Error(w, p.Log, err)
		return
	}
	n, err := prov.Callback(r.Context(), bank.Callback{Header: r.Header, Query: r.URL.Query(), Body: body})
	if err != nil {
		p.Log.Warn("bank callback refused", "provider", name, "code", errs.CodeOf(err), "err", err)
		httpx.Error(w, p.Log, err)
		return
	}
	ref, err := p.Checks.Decode(n.Token)
	if err != nil {
		p.Log.Warn("bank callback for no check of ours", "provider", name, "callback", n.ID)
		httpx.Error(w, p.Log, err)
		return
	}
	// A payment the bank reports without its amount is not trusted to be
	// the check's: every provider's success callback carries one.
	if (n.Amount != 0 || n.Event.Status == check.AttemptSuccess) && n.Amount != ref.Amount {
		p.Log.Warn("bank callback amount mismatch", "provider", name, "check", ref.ID, "callback", n.ID, "amount", n.Amount.Decimal(), "want", ref.Amount.Decimal())
		httpx.Error(w, p.Log, errs.E(errs.Invalid, "amount does not match the check"))
		return
	}
	n.Event.Provider = name
	st, err := p.Checks.Apply(r.Context(), ref, n.Event)
	if err != nil {
		httpx.Error(w, p.Log, err)
		return
	}
	p.Log.Info("bank callback", "provider", name, "check", ref.ID, "callback", n.ID, "attempt", n.Event.ProviderRef, "event", n.Event.Status, "status", st.Status)
	httpx.JSON(w, http.StatusOK, map[string]any{"ok": true, "status": st.Status})
}
