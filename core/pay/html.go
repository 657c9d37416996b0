package pay

import (
	"github.com/paylastic/edge/core/htmlw"
	"github.com/paylastic/edge/core/httpx"
)

// The pages are plain Go code, not templates (why: render.go, package
// htmlw). Every value goes through b.Text, or b.URL in href and action,
// which escape exactly as the templates did; the golden files in testdata
// hold the pages to the byte.

// content writes the part of a page inside <main>.
type content func(b *htmlw.Builder, v *view)

// contents are the pages render knows, by name.
var contents = map[string]content{
	"check":    checkContent,
	"message":  messageContent,
	"redirect": redirectContent,
}

// layout writes the page around its content.
func layout(b *htmlw.Builder, v *view, c content) {
	b.WriteString("<!doctype html>\n<html lang=\"")
	b.Text(v.Lang)
	b.WriteString("\">\n<head>\n<meta charset=\"utf-8\">\n" +
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n" +
		"<meta name=\"robots\" content=\"noindex\">")
	b.WriteString("\n<title>")
	b.Text(v.Title)
	b.WriteString(" — ")
	b.Text(v.T["brand"])
	b.WriteString("</title>\n<style>\n" + css + "</style>\n</head>\n<body>\n<header><b>")
	b.Text(v.T["brand"])
	b.WriteString("</b>")
	if v.Switch != "" {
		b.WriteString(`<a href="`)
		b.URL(v.Switch)
		b.WriteString(`" hreflang="`)
		b.Text(v.T["other_code"])
		b.WriteString(`" lang="`)
		b.Text(v.T["other_code"])
		b.WriteString(`">`)
		b.Text(v.T["other_lang"])
		b.WriteString("</a>")
	}
	b.WriteString("</header>\n<main>\n")
	c(b, v)
	b.WriteString("\n</main>\n<footer>")
	b.Text(v.T["brand"])
	b.WriteString("</footer>\n</body>\n</html>\n")
}

// summary writes the box with the title, the merchant and the amount, open:
// the check page adds the expiry before closing it.
func summary(b *htmlw.Builder, v *view) {
	b.WriteString("<div class=\"box\">\n<h1>")
	b.Text(v.Title)
	b.WriteString("</h1>\n<p class=\"label\">")
	b.Text(v.T["payee"])
	b.WriteString("</p>\n<p class=\"merchant\">")
	b.Text(v.Merchant)
	b.WriteString("</p>\n<p class=\"label\">")
	b.Text(v.T["amount"])
	b.WriteString("</p>\n<p class=\"amount\">")
	b.Text(v.Amount)
	b.WriteString("</p>")
}

// note writes a coloured box holding one paragraph of the key's words.
func note(b *htmlw.Builder, v *view, open, key string) {
	b.WriteString(open)
	b.Text(v.T[key])
	b.WriteString("</p></div>")
}

// receipt is what a paid check's page shows the cashier, who may ask for
// proof: two payments of 12,50 told apart by the check's number (the one
// in the cashier's chat), the bank's time and the card.
func receipt(b *htmlw.Builder, v *view) {
	b.WriteString("\n<dl class=\"receipt\">")
	row := func(key, value string) {
		if value == "" {
			return
		}
		b.WriteString("<dt>")
		b.Text(v.T[key])
		b.WriteString("</dt><dd>")
		b.Text(value)
		b.WriteString("</dd>")
	}
	row("receipt_number", v.Number)
	if v.PaidAt != "" {
		row("receipt_time", v.PaidAt+" ("+v.T["kyiv_time"]+")")
	}
	row("receipt_card", v.Card)
	b.WriteString("</dl>")
}

// testNote says, under a test payment, that no real money moved.
func testNote(b *htmlw.Builder, v *view) {
	if v.Test {
		note(b, v, "\n<div class=\"warn\" role=\"note\"><p>", "test_payment")
	}
}

// checkContent is the payment page and the result page: the check, what
// became of it and, while it can be paid, the warning and the pay button.
func checkContent(b *htmlw.Builder, v *view) {
	summary(b, v)
	switch v.State {
	case "open", "pending", "failed":
		b.WriteString("\n<p class=\"muted\">")
		b.Text(v.T["valid_until"])
		b.WriteString(" ")
		b.Text(v.Valid)
		b.WriteString(" (")
		b.Text(v.T["kyiv_time"])
		b.WriteString(")</p>")
	}
	b.WriteString("\n</div>")
	switch {
	case v.State == "paid":
		b.WriteString("\n<div class=\"ok\" role=\"status\"><p><b>")
		if v.Result {
			b.Text(v.T["paid_result"])
			b.WriteString("</b></p><p>")
			b.Text(v.T["paid_note"])
			b.WriteString("</p></div>")
		} else {
			b.Text(v.T["paid"])
			b.WriteString("</b></p></div>")
		}
		receipt(b, v)
		testNote(b, v)
		return
	case v.State == "refunded":
		note(b, v, "\n<div class=\"info\" role=\"status\"><p>", "refunded")
		return
	case v.State == "expired":
		note(b, v, "\n<div class=\"bad\" role=\"status\"><p>", "expired")
		return
	case v.State == "cancelled":
		note(b, v, "\n<div class=\"bad\" role=\"status\"><p>", "cancelled")
		return
	case v.Result && v.State == "pending":
		// No <meta refresh>: a page reloading itself every few seconds
		// restarts a screen reader and moves focus (WCAG 2.2.1); the buyer
		// asks again when ready, with JavaScript or without.
		note(b, v, "\n<div class=\"info\" role=\"status\"><p>", "waiting")
		testNote(b, v)
		b.WriteString("\n<a class=\"button\" href=\"")
		b.URL(v.Again)
		b.WriteString("\">")
		b.Text(v.T["check_again"])
		b.WriteString("</a>")
		return
	case v.State == "failed":
		b.WriteString("\n<div class=\"bad\" role=\"alert\"><p><b>")
		if v.Result {
			b.Text(v.T["failed_result"])
		} else {
			b.Text(v.T["failed"])
		}
		b.WriteString("</b></p>")
		if v.Reason != "" {
			b.WriteString("<p>")
			b.Text(v.T["reason"])
			b.WriteString(": ")
			b.Text(v.Reason)
			b.WriteString("</p>")
		}
		b.WriteString("<p>")
		b.Text(v.T["try_again"])
		b.WriteString("</p></div>")
	case v.State == "pending":
		note(b, v, "\n<div class=\"info\"><p>", "pending")
	case v.Result:
		note(b, v, "\n<div class=\"info\"><p>", "not_finished")
	}
	// The fraud warning comes before the first payment; a buyer who tries
	// again has read it, so it shrinks to one line under the button, which
	// stays above the fold.
	again := v.State == "pending" || v.State == "failed" || v.Result
	if !again {
		b.WriteString("\n<div class=\"warn\" role=\"note\"><b>")
		b.Text(v.T["warn_title"])
		b.WriteString("</b><p>")
		b.Text(v.T["warn"])
		b.WriteString("</p><p>")
		b.Text(v.T["warn_bank"])
		b.WriteString("</p></div>")
	}
	b.WriteString("\n<form method=\"post\" action=\"")
	b.URL(v.Pay)
	b.WriteString("\">\n<input type=\"hidden\" name=\"lang\" value=\"")
	b.Text(v.Lang)
	b.WriteString("\">\n<button type=\"submit\">")
	b.Text(v.T["pay"])
	b.WriteString("</button>\n</form>")
	if again {
		b.WriteString("\n<p class=\"muted reminder\">")
		b.Text(v.T["warn_short"])
		b.WriteString("</p>")
	}
}

// messageContent is a page that only says something: v.Message is a key
// of messages.
func messageContent(b *htmlw.Builder, v *view) {
	b.WriteString("<div class=\"box\">\n<h1>")
	b.Text(v.Title)
	b.WriteString("</h1>\n<p>")
	b.Text(v.T[v.Message])
	b.WriteString("</p>\n</div>")
}

// redirectContent is the form that takes the buyer to a bank which wants
// a POST. It submits itself (httpx.AutoSubmit, the one script the CSP
// allows); without JavaScript the buyer presses its button.
func redirectContent(b *htmlw.Builder, v *view) {
	summary(b, v)
	b.WriteString("\n</div>\n<div class=\"warn\" role=\"note\"><b>")
	b.Text(v.T["warn_title"])
	b.WriteString("</b><p>")
	b.Text(v.T["warn"])
	b.WriteString("</p></div>\n<form id=\"to-bank\" method=\"post\" action=\"")
	b.URL(v.Action)
	b.WriteString("\" accept-charset=\"utf-8\">")
	for _, f := range v.Fields {
		b.WriteString("\n<input type=\"hidden\" name=\"")
		b.Text(f.Name)
		b.WriteString("\" value=\"")
		b.Text(f.Value)
		b.WriteString("\">")
	}
	b.WriteString("\n<p class=\"muted\">")
	b.Text(v.T["to_bank_text"])
	b.WriteString("</p>\n<button type=\"submit\">")
	b.Text(v.T["to_bank"])
	b.WriteString("</button>\n</form>\n<script>" + httpx.AutoSubmit + "</script>")
}

// css is the pages' style sheet. Colours keep text at 4.5:1 or more
// against its background, every link and button is at least 44 px tall
// (the language switch too), and below 360 px wide the spacing tightens so
// that «Оплатити» stays above the fold on a 320×640 phone.
const css = `*{box-sizing:border-box}
body{margin:0;font:17px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f4f5f7;color:#16181d}
header{display:flex;justify-content:space-between;align-items:center;padding:12px 16px;background:#fff;border-bottom:1px solid #e3e5e8}
header b{font-size:18px;color:#3b2fc9}
header a{display:inline-flex;align-items:center;min-height:44px;padding:0 8px;margin:-10px -8px;font-size:14px;color:#3b2fc9}
main{max-width:460px;margin:0 auto;padding:16px}
.box{background:#fff;border-radius:16px;padding:20px;margin:0 0 14px;box-shadow:0 1px 2px rgba(0,0,0,.08)}
h1{font-size:22px;margin:0 0 12px}
.label{color:#5d6470;font-size:14px;margin:0}
.merchant{font-size:19px;font-weight:600;margin:0 0 12px}
.amount{font-size:34px;font-weight:700;margin:0 0 4px}
.muted{color:#5d6470;font-size:14px;margin:0}
.reminder{text-align:center;margin:10px 0 0}
.warn{background:#fff4e5;border:1px solid #f0b35a;border-radius:12px;padding:12px 14px;margin:0 0 14px}
.warn b{display:block;margin-bottom:4px}
.warn p{margin:0 0 6px}.warn p:last-child{margin:0}
.ok{background:#e7f6ec;border:1px solid #5cb27a;color:#114d26;border-radius:12px;padding:14px;margin:0 0 14px}
.bad{background:#fdecea;border:1px solid #e0867c;color:#7d1a10;border-radius:12px;padding:14px;margin:0 0 14px}
.info{background:#eef1ff;border:1px solid #9aa6f2;color:#222a7a;border-radius:12px;padding:14px;margin:0 0 14px}
.ok p,.bad p,.info p{margin:0}.ok p+p,.bad p+p,.info p+p{margin-top:6px}
button,.button{display:block;width:100%;padding:15px;font:inherit;font-size:19px;font-weight:700;text-align:center;text-decoration:none;color:#fff;background:#3b2fc9;border:0;border-radius:12px}
footer{text-align:center;color:#5d6470;font-size:13px;padding:8px 16px 24px}
.receipt{display:grid;grid-template-columns:auto 1fr;gap:4px 12px;margin:0 0 14px}
.receipt dt{color:#5d6470}.receipt dd{margin:0;font-weight:600}
@media print{body{background:#fff}footer,form,.button,nav{display:none}.box,.ok{border-color:#000}}
@media (max-width:360px){main{padding:12px}.box{padding:16px}h1{font-size:20px;margin-bottom:8px}.merchant{margin-bottom:8px}.amount{font-size:30px}.warn{padding:10px 12px;font-size:15px;line-height:1.4}.bad,.info,.ok{padding:12px}}
`
