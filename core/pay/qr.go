package pay

import (
	"net/http"
	"strconv"

	"github.com/paylastic/edge/core/qr"
)

// qr is GET /p/{ref}/qr.png: the QR code of the payment link. It depends on
// nothing but the link, so browsers and caches may keep it for a day.
func (p *Pages) qr(w http.ResponseWriter, r *http.Request) {
	link := r.PathValue("ref")
	if _, err := p.Checks.DecodeRef(link); err != nil {
		p.notFound(w, pickLang(r))
		return
	}
	png, err := qr.PNG(p.link(link))
	if err != nil {
		p.log().Error("draw qr", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "image/png")
	h.Set("Content-Length", strconv.Itoa(len(png)))
	h.Set("Cache-Control", "public, max-age=86400, immutable")
	_, _ = w.Write(png)
}
