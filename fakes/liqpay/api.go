package liqpay

import (
	"encoding/json"
	"net/http"
)

// handleRequest serves POST /api/request, the server-server API: form fields
// data and signature, a plain JSON answer. Failures are answered with HTTP
// 200 and {"result":"error","status":"error","err_code":…,"err_description":…},
// which is what LiqPay's SDKs look for.
func (s *Server) handleRequest(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeJSON(w, http.StatusMethodNotAllowed, apiErrorBody(errf(ErrCodeData, "method not allowed")))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	if err := r.ParseForm(); err != nil {
		writeJSON(w, http.StatusOK, apiErrorBody(errf(ErrCodeData, "cannot read the form")))
		return
	}
	params, aerr := s.open(r.PostForm.Get("data"), r.PostForm.Get("signature"))
	if aerr != nil {
		writeJSON(w, http.StatusOK, apiErrorBody(aerr))
		return
	}
	orderID, _ := params["order_id"].(string)
	var resp any
	switch params["action"] {
	case "status":
		resp, aerr = s.status(orderID)
	case "refund":
		resp, aerr = s.refund(orderID, params)
	default:
		aerr = errf(ErrCodeAction, "action %v: the fake supports status and refund", params["action"])
	}
	if aerr != nil {
		resp = apiErrorBody(aerr)
	}
	writeJSON(w, http.StatusOK, resp)
}

// status answers action=status: the payment as the callback describes it.
// An order whose checkout page was shown but never paid has no payment yet:
// payment_not_found. A refund due by now settles first (SetRefundDelay).
func (s *Server) status(orderID string) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orders[orderID]
	if !ok || o.Status == statusPrepared {
		return nil, errf(ErrCodeNotFound, "payment not found")
	}
	s.background(s.settleLocked(o, s.now(), false)...)
	p := s.payment(o, "pay")
	p.Result = "ok"
	return p, nil
}

func apiErrorBody(e *apiError) ErrorResponse {
	return ErrorResponse{Result: "error", Status: "error", ErrCode: e.code, ErrDescription: e.desc}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(b)
}
