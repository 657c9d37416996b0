package liqpay

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/paylastic/edge/core/bank/liqpay/sign"
	"github.com/paylastic/edge/fakes/internal/fakebank"
)

const expiredDateLayout = "2006-01-02 15:04:05" // UTC, per the checkout docs

// apiError is a failed request: an err_code and its description.
type apiError struct{ code, desc string }

func errf(code, format string, args ...any) *apiError {
	return &apiError{code: code, desc: fmt.Sprintf(format, args...)}
}

// handleCheckout serves /api/3/checkout: the buyer's browser posts data and
// signature (a GET with them in the query is accepted too) and gets the card
// page, or an error page with status 400.
func (s *Server) handleCheckout(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost && r.Method != http.MethodGet {
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	if err := r.ParseForm(); err != nil {
		renderError(w, http.StatusBadRequest, errf(ErrCodeData, "cannot read the form"))
		return
	}
	data := r.Form.Get("data")
	params, aerr := s.open(data, r.Form.Get("signature"))
	if aerr == nil {
		var o *order
		if o, aerr = s.checkout(data, params); aerr == nil {
			renderCheckout(w, s.BaseURL, o)
			return
		}
	}
	renderError(w, http.StatusBadRequest, aerr)
}

// open verifies a data/signature pair, decodes it and checks version and
// public_key.
func (s *Server) open(data, signature string) (map[string]any, *apiError) {
	if data == "" || signature == "" {
		return nil, errf(ErrCodeData, "data and signature are required")
	}
	// LiqPay finds the shop by the public key inside data, then checks the
	// signature with that shop's private key.
	var params map[string]any
	if err := sign.Decode(data, &params); err != nil || params == nil {
		return nil, errf(ErrCodeData, "data is not base64 of a JSON object")
	}
	publicKey, privateKey := s.keys()
	if params["public_key"] != publicKey {
		return nil, errf(ErrCodePublicKey, "unknown public_key")
	}
	if err := sign.Verify(privateKey, data, signature); err != nil {
		return nil, errf(ErrCodeSignature, "invalid signature")
	}
	if v := params["version"]; v != json.Number("3") && v != "3" {
		return nil, errf(ErrCodeVersion, "version must be 3, got %v", v)
	}
	return params, nil
}

// checkout validates checkout params and stores the order, or finds the
// same checkout posted again (a reload).
func (s *Server) checkout(data string, p map[string]any) (*order, *apiError) {
	o, aerr := s.parseOrder(p)
	if aerr != nil {
		return nil, aerr
	}
	now := s.now()
	if !o.ExpiredDate.IsZero() && !now.Before(o.ExpiredDate) {
		return nil, errf(ErrCodeExpired, "expired_date has passed")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.orders[o.OrderID]; ok {
		if old.Status == statusPrepared && old.data == data {
			return old, nil
		}
		return nil, errf(ErrCodeDuplicate, "order_id %q is already used", o.OrderID)
	}
	if len(s.orders) >= MaxOrders {
		return nil, errf(ErrCodeParam, "too many orders in the fake")
	}
	o.data = data
	o.Status = statusPrepared
	o.CreateDate = now
	o.LiqpayOrderID = fakebank.ID(s.rand(), 24, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
	s.orders[o.OrderID] = o
	s.byLiqpayID[o.LiqpayOrderID] = o
	s.seq = append(s.seq, o.OrderID)
	return o, nil
}

func (s *Server) parseOrder(p map[string]any) (*order, *apiError) {
	str := func(key string) (string, bool) {
		v, ok := p[key]
		if !ok {
			return "", true
		}
		sv, ok := v.(string)
		return sv, ok
	}
	o := &order{Order: Order{Params: p}}
	var ok bool
	if a, _ := str("action"); a != "pay" {
		return nil, errf(ErrCodeAction, "action %q: the fake supports pay only", a)
	}
	if o.Amount, ok = parseAmount(p["amount"]); !ok || o.Amount <= 0 {
		return nil, errf(ErrCodeParam, "invalid amount %v", p["amount"])
	}
	switch o.Currency, _ = str("currency"); o.Currency {
	case "UAH", "USD", "EUR":
	default:
		return nil, errf(ErrCodeParam, "invalid currency %q", o.Currency)
	}
	if o.Description, ok = str("description"); !ok || o.Description == "" {
		return nil, errf(ErrCodeParam, "description is required")
	}
	if o.OrderID, ok = str("order_id"); !ok || o.OrderID == "" || len(o.OrderID) > 255 {
		return nil, errf(ErrCodeParam, "order_id is required, at most 255 characters")
	}
	if o.ResultURL, ok = str("result_url"); !ok || !validURL(o.ResultURL) {
		return nil, errf(ErrCodeParam, "invalid result_url")
	}
	if o.ServerURL, ok = str("server_url"); !ok || !validURL(o.ServerURL) {
		return nil, errf(ErrCodeParam, "invalid server_url")
	}
	switch o.Language, _ = str("language"); o.Language {
	case "", "uk", "en":
	default:
		return nil, errf(ErrCodeParam, "invalid language %q", o.Language)
	}
	if o.Info, ok = str("info"); !ok {
		return nil, errf(ErrCodeParam, "info must be a string")
	}
	switch v := p["sandbox"]; {
	case v == nil || v == "0" || v == json.Number("0"):
	case isOne(v):
		o.Sandbox = true
	default:
		return nil, errf(ErrCodeParam, "invalid sandbox %v", v)
	}
	if d, ok := str("expired_date"); !ok {
		return nil, errf(ErrCodeParam, "invalid expired_date")
	} else if d != "" {
		t, err := time.ParseInLocation(expiredDateLayout, d, time.UTC)
		if err != nil {
			return nil, errf(ErrCodeParam, "invalid expired_date %q, want %s", d, expiredDateLayout)
		}
		o.ExpiredDate = t
	}
	return o, nil
}

// validURL accepts "" (not sent) or an absolute http(s) URL of at most 510
// characters.
func validURL(s string) bool {
	if s == "" {
		return true
	}
	if len(s) > 510 {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
