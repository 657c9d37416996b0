package fakebank

import (
	"html/template"
	"net/http"
)

// Page is the hosted card page of the fake of bank ("monobank", "LiqPay"):
// body, the bank's own part, in the HTML document every fake bank's page
// shares. It panics if body does not parse: a fake's page is fixed.
func Page(bank, body string) *template.Template {
	return template.Must(template.New("page").Parse(pageHead(bank) + body + "</body>\n</html>\n"))
}

func pageHead(bank string) string {
	return `<!doctype html>
<html lang="uk">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>Оплата: fake ` + bank + `</title>
</head>
<body>
`
}

// CardFields are the card form's fields and button, the same on every fake
// bank's page: a test fills cardNumber, exp and cvv, and knows the page by
// «Хочу оплатити». What is typed is used for the decision only: never
// stored or logged.
const CardFields = `<label>Номер картки <input name="cardNumber" inputmode="numeric" autocomplete="cc-number" required></label>
<label>Термін дії <input name="exp" placeholder="MM/YY" autocomplete="cc-exp"></label>
<label>CVV <input name="cvv" inputmode="numeric" autocomplete="cc-csc"></label>
<button type="submit">Хочу оплатити</button>
`

// Render answers page, filled with data, with status. The page is never
// cached nor framed: it takes card numbers. An error while it is written
// can no longer change the answer, so it is not reported.
func Render(w http.ResponseWriter, status int, page *template.Template, data any) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Frame-Options", "DENY")
	w.WriteHeader(status)
	page.Execute(w, data)
}
