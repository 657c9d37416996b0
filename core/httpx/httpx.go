// Package httpx holds the few HTTP helpers every handler of the product
// shares: JSON answers, the one mapping of domain errors to statuses, body
// limits, security headers and panic recovery.
package httpx

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/paylastic/edge/core/errs"
)

// MaxBody is the largest request body any route reads (Telegram updates and
// bank callbacks are a few KiB).
const MaxBody = 64 << 10

// JSON writes v as a JSON answer with status.
func JSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// Status is the one table from the domain's error codes to HTTP statuses.
func Status(err error) int {
	switch errs.CodeOf(err) {
	case "":
		return http.StatusOK
	case errs.Invalid:
		return http.StatusBadRequest
	case errs.NotFound:
		return http.StatusNotFound
	case errs.Unauthorized:
		return http.StatusUnauthorized
	case errs.Forbidden:
		return http.StatusForbidden
	case errs.Conflict:
		return http.StatusConflict
	case errs.Refused:
		return http.StatusUnprocessableEntity
	case errs.TooMany:
		return http.StatusTooManyRequests
	case errs.MediaType:
		return http.StatusUnsupportedMediaType
	case errs.Unavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// Error writes err as a JSON error answer: {"error":{"code":…,"message":…}}
// with its Status. A 5xx is the request's failure, handled here, so it is
// logged here, with its cause; a 4xx is the caller's mistake, logged (if it
// says something, as a forged callback does) by the handler that knows
// what it means. Internal errors are shown only as "internal error".
func Error(w http.ResponseWriter, log *slog.Logger, err error) {
	status := Status(err)
	if status >= 500 {
		log.Error("request failed", "status", status, "err", err)
	}
	JSON(w, status, map[string]any{"error": map[string]string{"code": string(errs.CodeOf(err)), "message": errs.MessageOf(err)}})
}

// Busy answers 503 with Retry-After for a request that came while another
// one does the same thing (a redelivered webhook): the sender comes back.
func Busy(w http.ResponseWriter) {
	w.Header().Set("Retry-After", "5")
	JSON(w, http.StatusServiceUnavailable, map[string]any{"error": map[string]string{"code": string(errs.Unavailable), "message": "being handled, try again later"}})
}

// ReadBody reads the request body up to MaxBody; a larger body is errs.Invalid.
func ReadBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return nil, errs.E(errs.Invalid, "body larger than %d bytes", MaxBody)
	}
	if err != nil {
		return nil, errs.Wrap(errs.Invalid, err, "cannot read body")
	}
	return b, nil
}

// DecodeJSON reads a JSON body strictly: sent as application/json (UTF-8,
// the only charset JSON has), valid UTF-8 throughout, one object, no unknown
// fields. encoding/json alone would turn invalid bytes into U+FFFD and store
// a name nobody typed, and would take text/plain from any web form.
func DecodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" || (params["charset"] != "" && !strings.EqualFold(params["charset"], "utf-8")) {
		return errs.E(errs.MediaType, "send the body as Content-Type: application/json")
	}
	b, err := ReadBody(w, r)
	if err != nil {
		return err
	}
	if !utf8.Valid(b) {
		return errs.E(errs.Invalid, "malformed JSON: the body is not valid UTF-8")
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return errs.Wrap(errs.Invalid, err, fmt.Sprintf("malformed JSON: %v", err))
	}
	if dec.More() {
		return errs.E(errs.Invalid, "malformed JSON: more than one value")
	}
	return nil
}

// AutoSubmit is the one script any page may run: it posts the form with id
// "to-bank", so a buyer sent to a bank that wants a POST (LiqPay) goes on by
// itself; without JavaScript the form's button does the same. The CSP allows
// exactly this text by its hash (autoSubmitHash, checked by a test), so no
// other inline or injected script can run.
const AutoSubmit = `document.getElementById("to-bank").submit()`

// autoSubmitHash is base64(SHA-256(AutoSubmit)), as CSP's script-src wants it.
const autoSubmitHash = "sha256-G0dVOge6JL0gd1Ps2MjfQL1y1avGJi+HWLgDunwEUms="

// ShareScript is the share page's script (core/pay share.go): where the
// browser has them, it shows the Web Share button (navigator.share) and the
// copy button (navigator.clipboard), both hidden without it, and sends or
// copies the message of the read-only text box "share-text". The CSP allows
// it by its hash (shareHash, checked by a test), as AutoSubmit.
const ShareScript = `(function(){var d=document,t=d.getElementById("share-text").value,s=d.getElementById("share-said");` +
	`if(navigator.share){d.getElementById("share-web").hidden=false;d.getElementById("share-sheet").onclick=function(){navigator.share({text:t}).catch(function(){})}}` +
	`if(navigator.clipboard){var c=d.getElementById("copy");d.getElementById("share-copy").hidden=false;c.onclick=function(){navigator.clipboard.writeText(t).then(function(){s.textContent=c.dataset.done})}}})()`

// shareHash is base64(SHA-256(ShareScript)).
const shareHash = "sha256-Z6UxmRJJOMc5Td/nNlT4FwQjVe5sC9cLq9xMGt3NrFE="

// CSP is the Content-Security-Policy of every answer: nothing loads but our
// own images and styles, forms post only to us or to a bank over https, and
// the only scripts are AutoSubmit and ShareScript.
// The «Оплатити» form posts to us and is redirected to the bank's page,
// whose host only the bank knows (monobank's pageUrl), hence https: there.
const CSP = cspHead + "'self' https:" + cspTail

const (
	cspHead = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; script-src '" + autoSubmitHash + "' '" + shareHash + "'; form-action "
	cspTail = "; frame-ancestors 'none'; base-uri 'none'"
)

// CSPFormTo is CSP for a page whose form posts to the one origin given
// (scheme://host[:port], as a page to a bank's checkout, which also
// auto-submits): forms may go nowhere else.
func CSPFormTo(origin string) string { return cspHead + "'self' " + origin + cspTail }

// Secure sets the security headers every answer carries: a strict CSP, no
// framing, no sniffing, no referrer, and HSTS on https.
func Secure(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", CSP)
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "no-referrer")
		if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" || r.URL.Scheme == "https" {
			hd.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		h.ServeHTTP(w, r)
	})
}

// Recover turns a panic in h into a 500 and a log line, never a crash.
func Recover(log *slog.Logger, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				log.Error("panic", "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(v))
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		h.ServeHTTP(w, r)
	})
}
