package pay

import (
	"net/http"
	"strconv"

	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/qr"
	"github.com/paylastic/edge/core/text"
)

// qr is GET /p/{token}/qr.png: the QR code of the payment link. It depends
// on nothing but the link, so browsers and caches may keep it for a day.
func (p *Pages) qr(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	if _, err := p.Checks.Decode(token); err != nil {
		p.notFound(w, text.RequestLang(r))
		return
	}
	png, err := qr.PNG(check.PageURL(p.BaseURL, token))
	if err != nil {
		p.Log.Error("draw qr", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "image/png")
	h.Set("Content-Length", strconv.Itoa(len(png)))
	h.Set("Cache-Control", "public, max-age=86400, immutable")
	_, _ = w.Write(png)
}
