package liqpay

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/paylastic/edge/core/bank/liqpay/sign"
	"github.com/paylastic/edge/fakes/internal/fakebank"
)

// The hosted page stands in for LiqPay's checkout: the checkout POST answers
// it, its form posts to /pay/{liqpay_order_id}, which decides by card number
// (see the Card constants), sends the callback and returns the buyer to
// result_url. Card number, expiry and CVV are used for the decision only:
// never stored or logged.

var pageTmpl = fakebank.Page("LiqPay", `<h1>Fake LiqPay</h1>
{{with .Description}}<p class="description">{{.}}</p>{{end}}
{{with .Amount}}<p class="amount">{{.}}</p>{{end}}
{{with .Error}}<p class="error" role="alert">{{.}}</p>{{end}}
{{if .Action}}<form method="post" action="{{.Action}}" autocomplete="off">
`+fakebank.CardFields+`</form>{{else}}<p class="status">{{.Message}}</p>{{end}}
{{if .PostTo}}<form method="post" action="{{.PostTo}}" id="result">
<input type="hidden" name="data" value="{{.Data}}">
<input type="hidden" name="signature" value="{{.Signature}}">
<button type="submit">Повернутися до магазину</button>
</form>
<script>document.getElementById("result").submit()</script>{{end}}
`)

type pageData struct {
	Description, Amount, Error, Message string
	Action                              string // card form target; "" when not payable
	PostTo, Data, Signature             string // auto-submit to result_url
}

var statusText = map[string]string{
	statusSuccess:    "Оплату виконано.",
	statusSandbox:    "Тестову оплату виконано.",
	statusWaitAccept: "Оплату виконано. Кошти буде зараховано магазину після його перевірки.",
	statusFailure:    "Оплата не вдалася.",
	statusReversed:   "Платіж повернуто.",
}

func orderPage(base string, o Order) pageData {
	d := pageData{
		Description: o.Description,
		Amount:      fmt.Sprintf("%d.%02d %s", o.Amount/100, o.Amount%100, o.Currency),
		Message:     statusText[o.Status],
	}
	if o.Status == statusPrepared {
		d.Action = strings.TrimSuffix(base, "/") + "/pay/" + o.LiqpayOrderID
	}
	if o.Status == statusFailure {
		d.Message += " " + o.ErrDescription
	}
	return d
}

func renderCheckout(w http.ResponseWriter, base string, o *order) {
	renderPage(w, http.StatusOK, orderPage(base, o.snapshot()))
}

func renderError(w http.ResponseWriter, status int, e *apiError) {
	renderPage(w, status, pageData{Message: e.code + ": " + e.desc})
}

func (s *Server) orderByLiqpayID(id string) (Order, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.byLiqpayID[id]
	if !ok {
		return Order{}, false
	}
	return o.snapshot(), true
}

// handlePage serves GET /pay/{id}: the card page again (a reload).
func (s *Server) handlePage(w http.ResponseWriter, r *http.Request) {
	o, ok := s.orderByLiqpayID(r.PathValue("id"))
	if !ok {
		renderError(w, http.StatusNotFound, errf(ErrCodeNotFound, "payment not found"))
		return
	}
	d := orderPage(s.BaseURL, o)
	status := http.StatusOK
	if d.Action == "" {
		status = http.StatusConflict
	}
	renderPage(w, status, d)
}

// handlePagePay serves POST /pay/{id}, the card form's submit.
func (s *Server) handlePagePay(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	o, ok := s.orderByLiqpayID(id)
	if !ok {
		renderError(w, http.StatusNotFound, errf(ErrCodeNotFound, "payment not found"))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 1<<14)
	if err := r.ParseForm(); err != nil {
		renderError(w, http.StatusBadRequest, errf(ErrCodeData, "cannot read the form"))
		return
	}
	out, valid := cardOutcome(r.PostForm.Get("cardNumber"))
	if !valid {
		d := orderPage(s.BaseURL, o)
		d.Error = "Невірний номер картки"
		renderPage(w, http.StatusBadRequest, d)
		return
	}
	// The bank finishes the payment even if the buyer goes away.
	if err := s.settle(context.WithoutCancel(r.Context()), id, out); err != nil {
		o, _ = s.orderByLiqpayID(id)
		status := http.StatusConflict
		if !errors.Is(err, ErrNotPayable) {
			status = http.StatusNotFound
		}
		renderPage(w, status, orderPage(s.BaseURL, o))
		return
	}
	s.returnBuyer(w, r, id)
}

// returnBuyer sends the buyer to result_url: a 303, or an auto-submitting
// POST form with the signed payment (SetResultMethod). Without result_url it
// shows the result.
func (s *Server) returnBuyer(w http.ResponseWriter, r *http.Request, id string) {
	s.mu.Lock()
	o := s.byLiqpayID[id]
	snap, post := o.snapshot(), s.resultPOST
	p := s.payment(o, "pay")
	s.mu.Unlock()

	d := orderPage(s.BaseURL, snap)
	switch {
	case snap.ResultURL == "":
		renderPage(w, http.StatusOK, d)
	case post:
		data, err := sign.Data(p)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		d.PostTo, d.Data, d.Signature = snap.ResultURL, data, sign.Signature(s.privKey(), data)
		renderPage(w, http.StatusOK, d)
	default:
		http.Redirect(w, r, snap.ResultURL, http.StatusSeeOther)
	}
}

func renderPage(w http.ResponseWriter, status int, d pageData) {
	fakebank.Render(w, status, pageTmpl, d)
}
