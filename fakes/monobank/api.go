package monobank

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"time"

	"github.com/paylastic/edge/fakes/internal/fakebank"
)

const (
	defaultValidity = 24 * time.Hour
	maxValidity     = 366 * 24 * time.Hour
	ccyUAH          = 980
)

// api wraps an API handler with the method check and X-Token authentication:
// 405 for another method, 400 for a missing token, 403 for a wrong one.
func (s *Server) api(method string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method != method {
			w.Header().Set("Allow", method)
			writeError(w, http.StatusMethodNotAllowed, codeMethod, "Method not allowed")
			return
		}
		tok := r.Header.Get("X-Token")
		if tok == "" {
			writeError(w, http.StatusBadRequest, codeBadRequest, "empty 'X-Token'")
			return
		}
		if subtle.ConstantTimeCompare([]byte(tok), []byte(s.currentToken())) != 1 {
			writeError(w, http.StatusForbidden, codeForbidden, "forbidden")
			return
		}
		h(w, r)
	}
}

// DetailsResponse is the answer of GET /api/merchant/details
// (https://monobank.ua/api-docs/acquiring/metody/internet-ekvairynh/get--api--merchant--details).
type DetailsResponse struct {
	MerchantID   string `json:"merchantId"`
	MerchantName string `json:"merchantName"`
	Edrpou       string `json:"edrpou"`
}

// handleDetails serves GET /api/merchant/details: the merchant the token
// belongs to.
func (s *Server) handleDetails(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, DetailsResponse{MerchantID: "12o4Vv7EWy", MerchantName: "ФОП Тестовий магазин", Edrpou: "3000000000"})
}

// handlePubkey serves GET /api/merchant/pubkey.
func (s *Server) handlePubkey(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.pubkeyHits++
	k := s.keyB64
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, PubkeyResponse{Key: k})
}

// handleCreate serves POST /api/merchant/invoice/create.
func (s *Server) handleCreate(w http.ResponseWriter, r *http.Request) {
	var req CreateRequest
	if !decodeJSON(w, r, &req) {
		return
	}
	if req.Ccy == 0 {
		req.Ccy = ccyUAH
	}
	if code, msg := validateCreate(&req); code != "" {
		writeError(w, http.StatusBadRequest, code, msg)
		return
	}
	validity := defaultValidity
	if req.Validity > 0 {
		validity = time.Duration(req.Validity) * time.Second
	}
	var info MerchantPaymInfo
	if req.MerchantPaymInfo != nil {
		info = *req.MerchantPaymInfo
	}
	now := s.now().UTC().Truncate(time.Second)

	s.mu.Lock()
	if len(s.invoices) >= MaxInvoices {
		s.mu.Unlock()
		writeError(w, http.StatusTooManyRequests, codeTooMany, "too many requests")
		return
	}
	id := "p2_" + fakebank.ID(s.rand(), 22, idAlphabet)
	s.invoices[id] = &invoice{Invoice: Invoice{
		ID:               id,
		Status:           "created",
		Amount:           req.Amount,
		Ccy:              req.Ccy,
		MerchantPaymInfo: info,
		RedirectURL:      req.RedirectURL,
		WebHookURL:       req.WebHookURL,
		Validity:         validity,
		PaymentType:      "debit",
		CreatedDate:      now,
		ModifiedDate:     now,
	}}
	s.order = append(s.order, id)
	s.mu.Unlock()

	writeJSON(w, http.StatusOK, CreateResponse{InvoiceID: id, PageURL: s.pageURL(r, id)})
}

func validateCreate(req *CreateRequest) (code, msg string) {
	switch {
	case req.Amount <= 0:
		return codeBadRequest, "invalid 'amount'"
	case req.Ccy != ccyUAH:
		return codeBadRequest, "invalid 'ccy': the fake accepts 980 only"
	case req.Validity < 0 || req.Validity > int64(maxValidity/time.Second):
		return codeBadRequest, "invalid 'validity'"
	case req.PaymentType != "" && req.PaymentType != "debit":
		return codeBadRequest, "invalid 'paymentType': the fake supports debit only"
	case req.RedirectURL != "" && !validURL(req.RedirectURL):
		return codeBadRequest, "invalid 'redirectUrl'"
	case req.WebHookURL != "" && !validURL(req.WebHookURL):
		return codeBadRequest, "invalid 'webHookUrl'"
	}
	if p := req.MerchantPaymInfo; p != nil {
		if strings.TrimSpace(p.Reference) == "" || len(p.Reference) > 255 {
			return codeInvalidPaymInfo, "invalid 'merchantPaymInfo.reference'"
		}
		if strings.TrimSpace(p.Destination) == "" || len(p.Destination) > 280 {
			return codeInvalidPaymInfo, "invalid 'merchantPaymInfo.destination'"
		}
		if len(p.BasketOrder) > 0 {
			var total int64
			for i, it := range p.BasketOrder {
				if it.Name == "" || it.Code == "" || it.Qty <= 0 || it.Sum < 0 {
					return codeInvalidPaymInfo, fmt.Sprintf("invalid 'merchantPaymInfo.basketOrder[%d]'", i)
				}
				total += int64(math.Round(it.Qty * float64(it.Sum)))
			}
			if total != req.Amount {
				return codeInvalidPaymInfo, fmt.Sprintf("basketOrder total %d does not match 'amount' %d", total, req.Amount)
			}
		}
	}
	return "", ""
}

func validURL(s string) bool {
	if len(s) > 2048 {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

func (s *Server) pageURL(r *http.Request, id string) string {
	base := strings.TrimSuffix(s.BaseURL, "/")
	if base == "" {
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		base = scheme + "://" + r.Host
	}
	return base + "/pay/" + id
}

// handleStatus serves GET /api/merchant/invoice/status?invoiceId=. A
// refund due by now settles first (SetRefundDelay).
func (s *Server) handleStatus(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("invoiceId")
	if !invoiceIDGiven(w, id) {
		return
	}
	s.mu.Lock()
	inv, ok := s.invoices[id]
	var st StatusResponse
	if ok {
		now := s.now()
		s.expireLocked(inv, now)
		s.background(s.settleLocked(inv, now, false))
		st = inv.status()
	}
	s.mu.Unlock()
	if !ok {
		writeError(w, http.StatusNotFound, codeNotFound, "invoice not found")
		return
	}
	writeJSON(w, http.StatusOK, st)
}

// handleRemove serves POST /api/merchant/invoice/remove: an unpaid invoice
// becomes expired (no webhook) and can no longer be paid.
func (s *Server) handleRemove(w http.ResponseWriter, r *http.Request) {
	var req RemoveRequest
	if !decodeJSON(w, r, &req) || !invoiceIDGiven(w, req.InvoiceID) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	inv, ok := s.invoices[req.InvoiceID]
	if !ok {
		writeError(w, http.StatusNotFound, codeNotFound, "invoice not found")
		return
	}
	s.expireLocked(inv, s.now())
	switch inv.Status {
	case "created":
		inv.Status, inv.Removed = "expired", true
		s.touchLocked(inv)
	case "expired":
		inv.Removed = true
	default:
		writeError(w, http.StatusBadRequest, codeBadRequest, "invoice is already paid or in progress")
		return
	}
	w.WriteHeader(http.StatusOK)
}

// decodeJSON reads a bounded JSON body into v, a pointer to a wire struct.
// Unknown fields, compared case-sensitively, are rejected, so that a
// misspelt field (webhookUrl for webHookUrl) fails loudly in tests. On
// failure it writes 400 and returns false.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err == nil {
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.DisallowUnknownFields()
		err = dec.Decode(v)
		if err == nil && dec.More() {
			err = errors.New("trailing data")
		}
	}
	if err == nil {
		err = exactFields(body, reflect.TypeOf(v))
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, codeBadRequest, "invalid request body: "+err.Error())
		return false
	}
	return true
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// invoiceIDGiven reports whether a request names its invoice, and answers
// 400 when it does not.
func invoiceIDGiven(w http.ResponseWriter, id string) bool {
	if id == "" {
		writeError(w, http.StatusBadRequest, codeBadRequest, "empty 'invoiceId'")
		return false
	}
	return true
}

func writeError(w http.ResponseWriter, status int, code, text string) {
	writeJSON(w, status, ErrorResponse{ErrCode: code, ErrText: text})
}
