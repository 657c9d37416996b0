package fakebank

// PageHead opens the hosted card page of the fake of bank ("monobank",
// "LiqPay"), up to its <body>: the page's template goes on from there.
func PageHead(bank string) string {
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
