package monobank

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/paylastic/edge/fakes/internal/fakebank"
)

// The hosted page stands in for pay.mbnk.biz: GET shows a card form, POST
// decides by card number (see CardSuccess, CardDecline), sends the webhooks
// and sends the buyer to redirectUrl with 303. The card number, expiry and
// CVV are used for the decision only: never stored or logged.

var pageTmpl = fakebank.Page("monobank", `<h1>Fake monobank</h1>
{{with .Destination}}<p class="destination">{{.}}</p>{{end}}
<p class="amount">{{.Amount}}</p>
{{with .Error}}<p class="error" role="alert">{{.}}</p>{{end}}
{{if .Payable}}<form method="post" autocomplete="off">
`+fakebank.CardFields+`</form>{{else}}<p class="status">{{.Message}}</p>
{{with .RedirectURL}}<p><a href="{{.}}">Повернутися до магазину</a></p>{{end}}{{end}}
`)

type pageData struct {
	Destination string
	Amount      string
	Payable     bool
	Error       string
	Message     string
	RedirectURL string
}

var statusText = map[string]string{
	"processing": "Платіж обробляється.",
	"success":    "Рахунок оплачено.",
	"failure":    "Оплата не вдалася.",
	"reversed":   "Платіж повернуто.",
	"expired":    "Рахунок недійсний.",
}

// handlePage serves GET /pay/{invoiceId}.
func (s *Server) handlePage(w http.ResponseWriter, r *http.Request) {
	inv, ok := s.Invoice(r.PathValue("invoiceId"))
	if !ok {
		renderPage(w, http.StatusNotFound, pageData{Message: "Рахунок не знайдено."})
		return
	}
	d := pageDataFor(inv)
	status := http.StatusOK
	if !d.Payable {
		status = http.StatusConflict
	}
	renderPage(w, status, d)
}

// handlePagePay serves POST /pay/{invoiceId}, the card form's submit.
func (s *Server) handlePagePay(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("invoiceId")
	inv, ok := s.Invoice(id)
	if !ok {
		renderPage(w, http.StatusNotFound, pageData{Message: "Рахунок не знайдено."})
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 1<<14)
	if err := r.ParseForm(); err != nil {
		renderPage(w, http.StatusBadRequest, pageData{Message: "Некоректний запит."})
		return
	}
	o, valid := cardOutcome(r.PostForm.Get("cardNumber"))
	if !valid {
		d := pageDataFor(inv)
		d.Error = "Номер картки вказано невірно"
		renderPage(w, http.StatusBadRequest, d)
		return
	}
	// The bank finishes the payment even if the buyer goes away.
	err := s.pay(context.WithoutCancel(r.Context()), id, o)
	if errors.Is(err, ErrNotPayable) {
		inv, _ = s.Invoice(id)
		renderPage(w, http.StatusConflict, pageDataFor(inv))
		return
	}
	if err != nil {
		renderPage(w, http.StatusNotFound, pageData{Message: "Рахунок не знайдено."})
		return
	}
	if inv.RedirectURL != "" {
		http.Redirect(w, r, inv.RedirectURL, http.StatusSeeOther)
		return
	}
	inv, _ = s.Invoice(id)
	renderPage(w, http.StatusOK, pageDataFor(inv))
}

func pageDataFor(inv Invoice) pageData {
	d := pageData{
		Destination: inv.MerchantPaymInfo.Destination,
		Amount:      fmt.Sprintf("%d,%02d грн", inv.Amount/100, inv.Amount%100),
		Payable:     inv.Status == "created",
		Message:     statusText[inv.Status],
		RedirectURL: inv.RedirectURL,
	}
	if inv.Status == "failure" && inv.FailureReason != "" {
		d.Message += " " + inv.FailureReason
	}
	return d
}

func renderPage(w http.ResponseWriter, status int, d pageData) {
	fakebank.Render(w, status, pageTmpl, d)
}
