package pay

import (
	"github.com/paylastic/edge/core/htmlw"
	"github.com/paylastic/edge/core/httpx"
)

// shareContent is the share page (share.go): the check, then, while it can
// be paid, the message and a button for each way to send it; otherwise
// what became of the check. Without JavaScript the message stays in a
// read-only text box to copy by hand; the Web Share and copy buttons are
// hidden until httpx.ShareScript finds the browser can do them.
func shareContent(b *htmlw.Builder, v *view, s *shared) {
	summary(b, v)
	b.WriteString("\n</div>")
	if !sendable(v.State) {
		// a paid, refunded, expired or cancelled check: nothing to send
		b.WriteString("\n<div class=\"info\" role=\"status\"><p>")
		b.Text(s.T["share_"+v.State])
		b.WriteString("</p></div>")
		return
	}
	b.WriteString("\n<p class=\"muted\">")
	b.Text(s.T["share_intro"])
	b.WriteString("</p>\n<p id=\"share-web\" hidden><button type=\"button\" id=\"share-sheet\">")
	b.Text(s.T["share_sheet"])
	b.WriteString("</button></p>")
	for _, l := range []struct{ key, href string }{
		{"share_sms", s.SMS},
		{"share_mail", s.Mail},
		{"share_telegram", s.Telegram},
		{"share_viber", s.Viber},
	} {
		b.WriteString("\n<p><a class=\"button\" href=\"")
		// already percent-encoded in full by shareOf: Text, not URL,
		// which would refuse the sms: and viber: schemes
		b.Text(l.href)
		b.WriteString("\">")
		b.Text(s.T[l.key])
		b.WriteString("</a></p>")
	}
	b.WriteString("\n<p><label for=\"share-text\">")
	b.Text(s.T["share_text"])
	b.WriteString("</label></p>\n<textarea id=\"share-text\" readonly rows=\"6\" style=\"width:100%;font:inherit;font-size:16px;padding:10px;border:1px solid #8a909c;border-radius:12px\">")
	b.Text(s.Text)
	b.WriteString("</textarea>\n<p id=\"share-copy\" hidden><button type=\"button\" id=\"copy\" data-done=\"")
	b.Text(s.T["share_copied"])
	b.WriteString("\">")
	b.Text(s.T["share_copy"])
	b.WriteString("</button></p>\n<p class=\"muted\" role=\"status\" id=\"share-said\"></p>")
	b.WriteString("\n<script>" + httpx.ShareScript + "</script>")
}

// shareMessages are the share page's words and the message's, by language.
// Every key must exist in both. share_what and share_subject take the shop
// and the amount.
var shareMessages = map[string]map[string]string{
	"uk": {
		"share_title":     "Надіслати покупцю",
		"share_intro":     "Надішліть покупцю посилання на оплату: він оплатить на власному телефоні.",
		"share_sheet":     "Надіслати…",
		"share_sms":       "SMS",
		"share_mail":      "Електронна пошта",
		"share_telegram":  "Telegram",
		"share_viber":     "Viber",
		"share_text":      "Текст повідомлення",
		"share_copy":      "Копіювати текст",
		"share_copied":    "Скопійовано",
		"share_what":      "%s: до оплати %s.",
		"share_subject":   "Оплата: %s, %s",
		"share_warn":      "Оплачуйте лише на власному телефоні; ніколи не вводьте дані картки на чужому.",
		"share_paid":      "Чек уже оплачено: надсилати нічого не потрібно.",
		"share_refunded":  "Оплату за цей чек повернено: надсилати нічого не потрібно.",
		"share_expired":   "Термін дії чека минув: створіть новий чек, щоб надіслати його.",
		"share_cancelled": "Чек скасовано: створіть новий чек, щоб надіслати його.",
	},
	"en": {
		"share_title":     "Send to buyer",
		"share_intro":     "Send the buyer the payment link: they pay on their own phone.",
		"share_sheet":     "Send…",
		"share_sms":       "SMS",
		"share_mail":      "E-mail",
		"share_telegram":  "Telegram",
		"share_viber":     "Viber",
		"share_text":      "Message text",
		"share_copy":      "Copy text",
		"share_copied":    "Copied",
		"share_what":      "%s: %s to pay.",
		"share_subject":   "Payment: %s, %s",
		"share_warn":      "Pay only on your own phone; never enter your card details on anyone else's.",
		"share_paid":      "This check is already paid: there is nothing to send.",
		"share_refunded":  "This check's payment was refunded: there is nothing to send.",
		"share_expired":   "This check has expired: create a new check to send.",
		"share_cancelled": "This check was cancelled: create a new check to send.",
	},
}
