package monobank

import (
	"net/http"
	"time"

	"github.com/paylastic/edge/fakes/internal/fakebank"
)

// SetRefundDelay chooses when invoice/cancel settles a refund. With d <= 0
// (the default) it settles at once and answers "success". With d > 0 it
// answers "processing", as monobank may: the refund waits in cancelList as
// "processing" and the invoice stays "success" until the fake's clock has
// passed the request by d. It then settles on the next invoice/status or
// invoice/cancel call for the invoice (or on SettleRefunds): the item
// becomes "success", and when nothing is left the invoice "reversed", with
// its webhook (lost while SetDropWebhooks is on). Invoice and Invoices show
// the invoice as last settled.
func (s *Server) SetRefundDelay(d time.Duration) {
	s.mu.Lock()
	s.refundDelay = d
	s.mu.Unlock()
}

// SettleRefunds settles every processing refund now, whatever the clock,
// and returns once the webhooks that causes were answered (or dropped).
func (s *Server) SettleRefunds() {
	s.mu.Lock()
	var ds []*delivery
	for _, id := range s.order {
		if d := s.settleLocked(s.invoices[id], s.now(), true); d != nil {
			ds = append(ds, d)
		}
	}
	s.mu.Unlock()
	fakebank.Deliver(s.deliver, ds...)
}

// FailRefunds fails every processing refund, as monobank may after it
// accepted one: the cancelList item becomes "failure" and the invoice stays
// "success" with its amount, so the payment can be refunded again.
func (s *Server) FailRefunds() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range s.order {
		inv := s.invoices[id]
		for i := range inv.CancelList {
			if c := &inv.CancelList[i]; c.Status == "processing" {
				c.Status, c.ModifiedDate = "failure", formatTime(s.touchLocked(inv))
			}
		}
	}
}

// handleCancel serves POST /api/merchant/invoice/cancel: a full or partial
// refund of a successful payment, settled at once ("success") or later
// ("processing", see SetRefundDelay). When nothing is left the invoice
// becomes "reversed" and its webhook is sent in the background (see Wait); a
// partial refund changes finalAmount, cancelList and modifiedDate but not
// the status, so it sends no webhook.
func (s *Server) handleCancel(w http.ResponseWriter, r *http.Request) {
	var req CancelRequest
	if !decodeJSON(w, r, &req) || !invoiceIDGiven(w, req.InvoiceID) {
		return
	}
	if req.Amount < 0 {
		writeError(w, http.StatusBadRequest, codeWrongCancel, "invalid 'amount'")
		return
	}
	s.mu.Lock()
	resp, fail, ds := s.cancelLocked(req)
	s.background(ds...)
	s.mu.Unlock()
	if fail != nil {
		writeError(w, fail.status, fail.code, fail.text)
		return
	}
	writeJSON(w, http.StatusOK, resp)
}

// apiFailure is an error answer of the API.
type apiFailure struct {
	status     int
	code, text string
}

// cancelLocked decides an invoice/cancel request. A refund that was due
// settles first, so its webhook (in ds) goes out even when this request
// fails.
func (s *Server) cancelLocked(req CancelRequest) (CancelResponse, *apiFailure, []*delivery) {
	inv, ok := s.invoices[req.InvoiceID]
	if !ok {
		return CancelResponse{}, &apiFailure{http.StatusNotFound, codeNotFound, "invoice not found"}, nil
	}
	now := s.now()
	s.expireLocked(inv, now)
	var ds []*delivery
	if d := s.settleLocked(inv, now, false); d != nil {
		ds = append(ds, d)
	}
	switch inv.Status {
	case "success":
	case "reversed":
		return CancelResponse{}, &apiFailure{http.StatusBadRequest, codeWrongCancel, "payment is already cancelled"}, ds
	default:
		return CancelResponse{}, &apiFailure{http.StatusInternalServerError, codeCancelNA, "payment can not be cancelled"}, ds
	}
	left := inv.FinalAmount - inv.processing()
	amount := req.Amount
	if amount == 0 {
		amount = left
	}
	if amount == 0 || amount > left {
		return CancelResponse{}, &apiFailure{http.StatusBadRequest, codeWrongCancel, "wrong cancel amount"}, ds
	}
	t := formatTime(s.touchLocked(inv))
	item := CancelItem{
		Status:       "success",
		Amount:       amount,
		Ccy:          inv.Ccy,
		CreatedDate:  t,
		ModifiedDate: t,
		ApprovalCode: fakebank.ID(s.rand(), 6, "0123456789"),
		RRN:          fakebank.ID(s.rand(), 12, "0123456789"),
		ExtRef:       req.ExtRef,
	}
	var due time.Time
	if s.refundDelay > 0 {
		item.Status, due = "processing", now.Add(s.refundDelay)
	}
	inv.CancelList = append(inv.CancelList, item)
	inv.due = append(inv.due, due)
	if item.Status == "success" {
		inv.FinalAmount -= amount
		if d := s.reverseLocked(inv); d != nil {
			ds = append(ds, d)
		}
	}
	return CancelResponse{Status: item.Status, CreatedDate: t, ModifiedDate: t}, nil, ds
}

// processing is the amount of the invoice's refunds not settled yet.
func (inv *invoice) processing() int64 {
	var sum int64
	for _, c := range inv.CancelList {
		if c.Status == "processing" {
			sum += c.Amount
		}
	}
	return sum
}

// settleLocked settles the invoice's processing refunds that are due at now
// (all of them with all) and returns the webhook of its reversal, if that
// made one.
func (s *Server) settleLocked(inv *invoice, now time.Time, all bool) *delivery {
	var t string
	for i := range inv.CancelList {
		c := &inv.CancelList[i]
		if c.Status != "processing" || (!all && i < len(inv.due) && now.Before(inv.due[i])) {
			continue
		}
		if t == "" {
			t = formatTime(s.touchLocked(inv))
		}
		c.Status, c.ModifiedDate = "success", t
		inv.FinalAmount -= c.Amount
	}
	if t == "" {
		return nil
	}
	return s.reverseLocked(inv)
}

// reverseLocked turns a paid invoice with nothing left into "reversed" and
// returns its webhook.
func (s *Server) reverseLocked(inv *invoice) *delivery {
	if inv.FinalAmount != 0 || inv.Status != "success" {
		return nil
	}
	inv.Status = "reversed"
	return s.notifyLocked(inv)
}

// background delivers webhooks after the answer (see fakebank.Background).
func (s *Server) background(ds ...*delivery) { fakebank.Background(&s.wg, s.deliver, ds...) }
