package sandbox

import "github.com/paylastic/edge/core/htmlw"

// cardPage writes the card page. It is plain Go code, not a template, to keep
// reflection out of the binary (see package htmlw); every value goes through
// b.Text, or b.URL in href and action, which escape exactly as the template
// did, and the golden files in testdata hold the page to the byte.
func cardPage(b *htmlw.Builder, d *pageData) {
	b.WriteString("<!doctype html>\n<html lang=\"")
	b.Text(d.Lang)
	b.WriteString("\">\n<head>\n<meta charset=\"utf-8\">\n" +
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n" +
		"<meta name=\"robots\" content=\"noindex\">\n<title>")
	b.Text(d.T["title"])
	b.WriteString("</title>\n<style>\n" + css + "</style>\n</head>\n<body>\n<header>")
	b.Text(d.T["bank"])
	b.WriteString("<small>")
	b.Text(d.T["test"])
	b.WriteString("</small></header>\n<main>\n<h1>")
	b.Text(d.T["heading"])
	b.WriteString("</h1>\n<div class=\"card\">")
	if d.State == "notfound" {
		b.WriteString("\n<p>")
		b.Text(d.T["notfound"])
		b.WriteString("</p>")
	} else {
		cardBody(b, d)
	}
	b.WriteString("\n</div>\n</main>\n</body>\n</html>\n")
}

// cardBody is the card page of a payment that exists: the sum, then the
// form or what became of the payment.
func cardBody(b *htmlw.Builder, d *pageData) {
	b.WriteString("\n<p class=\"sum\"><span class=\"muted\">")
	b.Text(d.T["payee"])
	b.WriteString("</span><span>")
	b.Text(d.Merchant)
	b.WriteString("</span></p>\n<p class=\"sum\"><span class=\"muted\">")
	b.Text(d.T["amount"])
	b.WriteString("</span><b>")
	b.Text(d.Amount)
	b.WriteString("</b></p>")
	if end, ok := ended[d.State]; ok {
		b.WriteString(end.open)
		b.Text(d.T[end.key])
		b.WriteString("</p>")
		back(b, d)
		return
	}
	if d.Problem != "" {
		b.WriteString("\n<p class=\"err\" role=\"alert\">")
		b.Text(d.T["err_"+d.Problem])
		b.WriteString("</p>")
	}
	b.WriteString("\n<form method=\"post\" action=\"")
	b.URL(d.Action)
	b.WriteString("\" autocomplete=\"on\">\n<label for=\"card\">")
	b.Text(d.T["card"])
	b.WriteString("</label>\n" +
		"<input id=\"card\" name=\"card\" inputmode=\"numeric\" autocomplete=\"cc-number\" placeholder=\"0000 0000 0000 0000\" maxlength=\"23\" required>\n" +
		"<div class=\"row\">\n<div><label for=\"exp\">")
	b.Text(d.T["exp"])
	b.WriteString("</label>\n<input id=\"exp\" name=\"exp\" inputmode=\"numeric\" autocomplete=\"cc-exp\" placeholder=\"")
	b.Text(d.T["exp_hint"])
	b.WriteString("\" maxlength=\"7\" value=\"")
	b.Text(d.Exp)
	b.WriteString("\" required></div>\n<div><label for=\"cvv\">")
	b.Text(d.T["cvv"])
	b.WriteString("</label>\n" +
		"<input id=\"cvv\" name=\"cvv\" type=\"password\" inputmode=\"numeric\" autocomplete=\"cc-csc\" placeholder=\"123\" maxlength=\"4\" required></div>\n" +
		"</div>\n<button type=\"submit\">")
	b.Text(d.T["pay"])
	b.WriteString("</button>\n</form>\n<p class=\"muted note\">")
	b.Text(d.T["secure"])
	b.WriteString("</p>\n<p class=\"muted\">")
	b.Text(d.T["cards"])
	b.WriteString("</p>")
}

// ended says, by state, what the card page of a payment that can no longer
// be made shows instead of the form: the paragraph and the words' key.
var ended = map[string]struct{ open, key string }{
	"done":        {"\n<p>", "done"},
	"expired":     {"\n<p>", "gone"},
	"unavailable": {"\n<p class=\"err\">", "unavailable"},
}

// back is the link back to the shop.
func back(b *htmlw.Builder, d *pageData) {
	b.WriteString("\n<p><a href=\"")
	b.URL(d.Back)
	b.WriteString("\">")
	b.Text(d.T["back"])
	b.WriteString("</a></p>")
}

// css is the card page's style sheet.
const css = `*{box-sizing:border-box}
body{margin:0;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#eef1f5;color:#1b1f24}
header{background:#0b3d2e;color:#fff;padding:14px 18px;font-weight:700;letter-spacing:.02em}
header small{display:block;font-weight:400;opacity:.8;font-size:13px}
main{max-width:420px;margin:0 auto;padding:16px}
h1{font-size:20px;margin:0 0 12px}
.card{background:#fff;border-radius:14px;padding:18px;box-shadow:0 1px 3px rgba(0,0,0,.12)}
.sum{display:flex;justify-content:space-between;gap:12px;margin:0 0 6px}
.sum b{font-size:22px}
.muted{color:#5b6572;font-size:14px}
label{display:block;margin:14px 0 4px;font-weight:600;font-size:14px}
input{width:100%;font-size:18px;padding:12px;border:1px solid #b8c0ca;border-radius:10px;background:#fff}
.row{display:flex;gap:12px}.row div{flex:1}
button{width:100%;margin-top:18px;padding:14px;font-size:18px;font-weight:700;color:#fff;background:#12805c;border:0;border-radius:10px}
.err{background:#fdecea;color:#8a1c12;border-radius:10px;padding:10px 12px;margin:12px 0 0}
.note{margin-top:14px}
a{color:#0b5cad}
`
