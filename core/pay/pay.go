// Package pay is the buyer's side of a check: the payment page a link opens,
// the start of a payment at the merchant's bank, the page the bank returns
// the buyer to, the QR code of the link, and the banks' server callbacks.
//
//	GET  /p/{token}                 payment page (the link)
//	POST /p/{token}/pay             start (or resume) a payment, 303 to the bank
//	GET  /p/{token}/result          where the bank sends the buyer back (POST too)
//	GET  /p/{token}/qr.png          the link's QR code
//	GET  /p/{token}/share           the cashier's page to send the link to a buyer
//	POST /bank/{provider}/callback  a bank's server callback
//
// Everything a page shows comes from the signed token, the merchant record
// and the check's state; the check's own record is never needed, as it may
// not have reached the buyer's location yet: the buyer scans the QR seconds
// after the cashier made it, often served by another Cloudflare location.
// Pages are plain HTML with inline styles and no script, in Ukrainian unless
// the browser or ?lang=en asks for English.
package pay

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/paylastic/edge/core/bank"
	"github.com/paylastic/edge/core/checks"
)

// Pages serves the buyer's routes and the banks' callbacks. Every field is
// required.
type Pages struct {
	Checks *checks.Service
	// Banks authenticate their callbacks; everything else goes through
	// Checks.
	Banks   bank.Registry
	BaseURL string // PUBLIC_BASE_URL, no trailing slash
	Log     *slog.Logger

	asked asked // the result page's recent bank asks (asked.go)
}

// Register adds the routes to mux.
func (p *Pages) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /p/{token}", p.page)
	mux.HandleFunc("POST /p/{token}/pay", p.start)
	mux.HandleFunc("GET /p/{token}/result", p.result)
	mux.HandleFunc("POST /p/{token}/result", p.result) // LiqPay may return the buyer with a POST
	mux.HandleFunc("GET /p/{token}/qr.png", p.qr)
	mux.HandleFunc("GET /p/{token}/share", p.share) // share.go
	mux.HandleFunc("POST /bank/{provider}/callback", p.callback)
}

func (p *Pages) now() time.Time { return p.Checks.Now().UTC() }
