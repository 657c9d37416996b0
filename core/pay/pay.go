// Package pay is the buyer's side of a check: the payment page a link opens,
// the start of a payment at the merchant's bank, the page the bank returns
// the buyer to, the QR code of the link, and the banks' server callbacks.
//
//	GET  /p/{ref}                   payment page
//	POST /p/{ref}/pay               start (or resume) a payment, 303 to the bank
//	GET  /p/{ref}/result            where the bank sends the buyer back (POST too)
//	GET  /p/{ref}/qr.png            the link's QR code
//	POST /bank/{provider}/callback  a bank's server callback
//
// Everything a page shows comes from the signed link reference, the merchant
// record and the check's state; the invoice record is never needed, as it may
// not have reached the buyer's location yet (DESIGN §5.1). Pages are plain
// HTML with inline styles and no script, in Ukrainian unless the browser or
// ?lang=en asks for English.
package pay

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/paylastic/edge/core/bank"
	"github.com/paylastic/edge/core/checks"
)

// Pages serves the buyer's routes and the banks' callbacks.
type Pages struct {
	Checks  *checks.Service
	Banks   bank.Registry
	BaseURL string // PUBLIC_BASE_URL, no trailing slash
	Log     *slog.Logger
}

// Register adds the routes to mux.
func (p *Pages) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /p/{ref}", p.page)
	mux.HandleFunc("POST /p/{ref}/pay", p.start)
	mux.HandleFunc("GET /p/{ref}/result", p.result)
	mux.HandleFunc("POST /p/{ref}/result", p.result) // LiqPay may return the buyer with a POST
	mux.HandleFunc("GET /p/{ref}/qr.png", p.qr)
	mux.HandleFunc("POST /bank/{provider}/callback", p.callback)
}

func (p *Pages) now() time.Time { return p.Checks.Now().UTC() }

func (p *Pages) log() *slog.Logger {
	if p.Log != nil {
		return p.Log
	}
	return slog.New(slog.DiscardHandler)
}

// link is the absolute address of the payment page of ref.
func (p *Pages) link(ref string) string { return p.BaseURL + "/p/" + ref }
