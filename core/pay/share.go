package pay

import (
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/htmlw"
	"github.com/paylastic/edge/core/text"
)

// share is GET /p/{token}/share: the page the cashier's «Надіслати покупцю»
// button opens, on the cashier's phone, for a buyer who is not there. It
// offers one-tap ways to send the link (SMS, e-mail, Telegram, Viber; the
// Web Share sheet and a copy button where the browser has them) with a
// message in the cashier's language (?lang=, as the bot sets it) that
// names the shop and the amount and repeats the fraud warning. A check
// that can no longer be paid is said to be so instead: nothing to send.
func (p *Pages) share(w http.ResponseWriter, r *http.Request) {
	lang := text.RequestLang(r)
	c, state, _, ok := p.loadEnabled(w, r, lang)
	if !ok {
		return
	}
	v := p.checkView(c, lang, state, "")
	v.Switch = "/p/" + c.token + "/share?lang=" + messages[lang]["other_code"]
	s := shareOf(lang, c.m.Name, v.Amount, check.PageURL(p.BaseURL, c.token))
	v.T = messages[lang]
	v.Title = s.T["share_title"]
	if !sendable(state) {
		v.Title = v.T[titleKey(state)]
	}
	var b htmlw.Builder
	layout(&b, &v, func(b *htmlw.Builder, v *view) { shareContent(b, v, &s) })
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Language", lang)
	h.Add("Vary", "Accept-Language")
	w.WriteHeader(http.StatusOK)
	if _, err := io.WriteString(w, b.String()); err != nil {
		p.Log.Error("render page", "page", "share", "err", err)
	}
}

// sendable reports whether a check in state (stateOf's) is worth sending:
// a buyer could still pay it.
func sendable(state string) bool {
	return state == "open" || state == "pending" || state == "failed"
}

// shared is the message to the buyer and the ways to send it.
type shared struct {
	T       map[string]string // shareMessages[lang]
	Link    string            // the payment link
	Text    string            // the whole message: what, the link, the warning
	Subject string            // the e-mail's subject
	// the one-tap links, each with the message in it
	SMS, Mail, Telegram, Viber string
}

// shareOf builds the message and the links. Every value in them is
// percent-encoded in full (queryEscape), so they are safe in an href as
// they are: sms: and viber: are schemes htmlw.URL does not pass.
//
// SMS is "sms:?&body=": iOS reads the body after "&", Android after "?",
// and each ignores the other's empty part. E-mail is RFC 6068 mailto with
// %20 for spaces (a '+' stays a '+' in mail clients). Telegram's share
// link takes the URL and the rest of the text apart; Viber's forward takes
// the whole text.
func shareOf(lang, shop, amount, link string) shared {
	t := shareMessages[lang]
	what := fmt.Sprintf(t["share_what"], shop, amount)
	s := shared{
		T:       t,
		Link:    link,
		Text:    what + "\n" + link + "\n" + t["share_warn"],
		Subject: fmt.Sprintf(t["share_subject"], shop, amount),
	}
	s.SMS = "sms:?&body=" + queryEscape(s.Text)
	s.Mail = "mailto:?subject=" + queryEscape(s.Subject) + "&body=" + queryEscape(s.Text)
	s.Telegram = "https://t.me/share/url?url=" + queryEscape(link) + "&text=" + queryEscape(what+"\n"+t["share_warn"])
	s.Viber = "viber://forward?text=" + queryEscape(s.Text)
	return s
}

// queryEscape percent-encodes every byte but RFC 3986's unreserved ones:
// url.QueryEscape writes spaces as '+', which mailto: and sms: bodies keep
// as a '+'.
func queryEscape(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s) * 3)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}
