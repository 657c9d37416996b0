package sandbox

import (
	"errors"
	"io"
	"net/http"

	"github.com/paylastic/edge/core/htmlw"
	"github.com/paylastic/edge/core/kv"
	"github.com/paylastic/edge/core/text"
)

// Register adds the card page's routes to mux.
func (b *Bank) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /sandbox/pay/{order}", b.showPage)
	mux.HandleFunc("POST /sandbox/pay/{order}", b.pay)
	mux.HandleFunc("/sandbox/", func(w http.ResponseWriter, r *http.Request) {
		b.render(w, http.StatusNotFound, pageData{State: "notfound"}, "uk")
	})
}

// maxForm bounds the card form's body.
const maxForm = 8 << 10

func (b *Bank) showPage(w http.ResponseWriter, r *http.Request) {
	o, err := b.decodeOrder(r.PathValue("order"))
	if err != nil {
		b.render(w, http.StatusNotFound, pageData{State: "notfound"}, "uk")
		return
	}
	d := b.data(o, r)
	_, err = b.record(r.Context(), o.Payment)
	switch {
	case err == nil:
		d.State = "done"
	case !errors.Is(err, kv.ErrNotFound):
		b.env.Log.Error("sandbox page", "payment", o.Payment, "err", err)
		d.State = "unavailable"
		b.render(w, http.StatusServiceUnavailable, d, o.Lang)
		return
	case !b.env.Now().Before(o.valid()):
		d.State = "expired"
	}
	b.render(w, http.StatusOK, d, o.Lang)
}

// pay takes the card form: it checks the card, decides, records the outcome,
// calls the product back and sends the buyer to the result page. The card
// number and CVV go nowhere but readCard; only the last four digits are kept.
func (b *Bank) pay(w http.ResponseWriter, r *http.Request) {
	o, err := b.decodeOrder(r.PathValue("order"))
	if err != nil {
		b.render(w, http.StatusNotFound, pageData{State: "notfound"}, "uk")
		return
	}
	d := b.data(o, r)
	now := b.env.Now().UTC()
	if !now.Before(o.valid()) {
		d.State = "expired"
		b.render(w, http.StatusGone, d, o.Lang)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if err := r.ParseForm(); err != nil {
		d.Problem = string(badNumber)
		b.render(w, http.StatusBadRequest, d, o.Lang)
		return
	}
	c, prob := readCard(r.PostForm.Get("card"), r.PostForm.Get("exp"), r.PostForm.Get("cvv"), now)
	if prob != "" {
		d.Problem = string(prob)
		d.Exp = r.PostForm.Get("exp")
		b.render(w, http.StatusUnprocessableEntity, d, o.Lang)
		return
	}
	ctx := r.Context()
	if _, err := b.record(ctx, o.Payment); err == nil {
		// decided already (a second tab, a double click): never twice
		http.Redirect(w, r, o.Return, http.StatusSeeOther)
		return
	} else if !errors.Is(err, kv.ErrNotFound) {
		b.unavailable(w, d, o, err)
		return
	}
	ref, err := b.env.Signer.Decode(o.Token)
	if err != nil {
		b.render(w, http.StatusNotFound, pageData{State: "notfound"}, o.Lang)
		return
	}
	status, reason := c.outcome()
	rec := record{Payment: o.Payment, Check: ref.ID, Amount: o.Amount, Status: status, Reason: reason, Last4: c.last4(), Created: now, Modified: now}
	if err := b.putRecord(ctx, rec); err != nil {
		b.unavailable(w, d, o, err)
		return
	}
	b.env.Log.Info("sandbox payment", "payment", rec.Payment, "status", rec.Status, "card_last4", rec.Last4)
	if err := b.notify(ctx, o, rec); err != nil {
		b.env.Log.Warn("sandbox callback lost", "payment", rec.Payment, "err", err)
	}
	http.Redirect(w, r, o.Return, http.StatusSeeOther)
}

func (b *Bank) unavailable(w http.ResponseWriter, d pageData, o order, err error) {
	b.env.Log.Error("sandbox payment", "payment", o.Payment, "err", err)
	d.State = "unavailable"
	b.render(w, http.StatusServiceUnavailable, d, o.Lang)
}

// pageData is what the card page shows. It never holds a card number or CVV.
type pageData struct {
	State    string // "" (the form), "done", "expired", "notfound", "unavailable"
	Problem  string // what is wrong with the form, if anything
	Merchant string
	Amount   string
	Action   string
	Back     string
	Exp      string // the expiry as typed, to fill the form again
	Lang     string
	T        map[string]string
}

func (b *Bank) data(o order, r *http.Request) pageData {
	return pageData{Merchant: o.Merchant, Amount: o.Amount.Format(text.Lang(o.Lang)), Action: r.URL.Path, Back: o.Return}
}

// render writes the card page (cardPage, in html.go: Go code rather than a
// template, to keep reflection and the methods it drags in out of the
// WebAssembly guest) with status. The page is never cached.
func (b *Bank) render(w http.ResponseWriter, status int, d pageData, l string) {
	d.Lang = text.Lang(l)
	d.T = messages[d.Lang]
	var p htmlw.Builder
	cardPage(&p, &d)
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Language", d.Lang)
	w.WriteHeader(status)
	if _, err := io.WriteString(w, p.String()); err != nil {
		b.env.Log.Error("render sandbox page", "err", err)
	}
}
