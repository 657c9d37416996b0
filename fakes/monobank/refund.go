package monobank

import (
	"context"
	"net/http"
)

// handleCancel serves POST /api/merchant/invoice/cancel: a full or partial
// refund of a successful payment, settled at once ("success"). When nothing
// is left the invoice becomes "reversed" and its webhook is sent in the
// background (see Wait); a partial refund changes finalAmount, cancelList and
// modifiedDate but not the status, so it sends no webhook.
func (s *Server) handleCancel(w http.ResponseWriter, r *http.Request) {
	var req CancelRequest
	if !decodeJSON(w, r, &req) {
		return
	}
	if req.InvoiceID == "" {
		writeError(w, http.StatusBadRequest, codeBadRequest, "empty 'invoiceId'")
		return
	}
	if req.Amount < 0 {
		writeError(w, http.StatusBadRequest, codeWrongCancel, "invalid 'amount'")
		return
	}
	s.mu.Lock()
	inv, ok := s.invoices[req.InvoiceID]
	if !ok {
		s.mu.Unlock()
		writeError(w, http.StatusNotFound, codeNotFound, "invoice not found")
		return
	}
	s.expireLocked(inv, s.now())
	switch inv.Status {
	case "success":
	case "reversed":
		s.mu.Unlock()
		writeError(w, http.StatusBadRequest, codeWrongCancel, "payment is already cancelled")
		return
	default:
		s.mu.Unlock()
		writeError(w, http.StatusInternalServerError, codeCancelNA, "payment can not be cancelled")
		return
	}
	amount := req.Amount
	if amount == 0 {
		amount = inv.FinalAmount
	}
	if amount > inv.FinalAmount {
		s.mu.Unlock()
		writeError(w, http.StatusBadRequest, codeWrongCancel, "wrong cancel amount")
		return
	}
	t := formatTime(s.touchLocked(inv))
	inv.CancelList = append(inv.CancelList, CancelItem{
		Status:       "success",
		Amount:       amount,
		Ccy:          inv.Ccy,
		CreatedDate:  t,
		ModifiedDate: t,
		ApprovalCode: newID(s.rand(), "", 6, "0123456789"),
		RRN:          newID(s.rand(), "", 12, "0123456789"),
		ExtRef:       req.ExtRef,
	})
	inv.FinalAmount -= amount
	var d *delivery
	if inv.FinalAmount == 0 {
		inv.Status = "reversed"
		d = s.notifyLocked(inv)
	}
	if d != nil {
		s.wg.Add(1) // before the answer, so that Wait after it waits
	}
	s.mu.Unlock()

	writeJSON(w, http.StatusOK, CancelResponse{Status: "success", CreatedDate: t, ModifiedDate: t})
	if d != nil {
		go func() {
			defer s.wg.Done()
			s.deliver(context.Background(), d)
		}()
	}
}
