package monobank

import (
	"crypto/ecdsa"
	"fmt"
	"slices"
	"time"

	"github.com/paylastic/edge/core/bank/monobank/sign"
)

// Invoice is a snapshot of an invoice held by the fake, with what the
// merchant sent and what the fake decided.
type Invoice struct {
	ID               string
	Status           string // created, processing, success, failure, reversed, expired
	Amount           int64
	FinalAmount      int64
	Ccy              int
	MerchantPaymInfo MerchantPaymInfo
	RedirectURL      string
	WebHookURL       string
	Validity         time.Duration
	PaymentType      string
	FailureReason    string
	ErrCode          string
	CreatedDate      time.Time
	ModifiedDate     time.Time
	Removed          bool // invoice/remove was called
	CancelList       []CancelItem
	PaymentInfo      *PaymentInfo
}

type invoice struct {
	Invoice
	history []event     // webhook bodies, oldest first
	due     []time.Time // by CancelList index: when a processing refund settles
}

type event struct {
	status string
	body   []byte
}

// Invoices returns a snapshot of every invoice, oldest first.
func (s *Server) Invoices() []Invoice {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Invoice, 0, len(s.order))
	now := s.now()
	for _, id := range s.order {
		inv := s.invoices[id]
		s.expireLocked(inv, now)
		out = append(out, inv.snapshot())
	}
	return out
}

// Invoice returns a snapshot of one invoice.
func (s *Server) Invoice(id string) (Invoice, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	inv, ok := s.invoices[id]
	if !ok {
		return Invoice{}, false
	}
	s.expireLocked(inv, s.now())
	return inv.snapshot(), true
}

func (inv *invoice) snapshot() Invoice {
	c := inv.Invoice
	c.MerchantPaymInfo.CustomerEmails = slices.Clone(c.MerchantPaymInfo.CustomerEmails)
	c.MerchantPaymInfo.BasketOrder = slices.Clone(c.MerchantPaymInfo.BasketOrder)
	c.CancelList = slices.Clone(c.CancelList)
	if c.PaymentInfo != nil {
		pi := *c.PaymentInfo
		c.PaymentInfo = &pi
	}
	return c
}

// status is the invoice/status answer, also the webhook body.
func (inv *invoice) status() StatusResponse {
	return StatusResponse{
		InvoiceID:     inv.ID,
		Status:        inv.Status,
		FailureReason: inv.FailureReason,
		ErrCode:       inv.ErrCode,
		Amount:        inv.Amount,
		Ccy:           inv.Ccy,
		FinalAmount:   inv.FinalAmount,
		CreatedDate:   formatTime(inv.CreatedDate),
		ModifiedDate:  formatTime(inv.ModifiedDate),
		Reference:     inv.MerchantPaymInfo.Reference,
		Destination:   inv.MerchantPaymInfo.Destination,
		CancelList:    slices.Clone(inv.CancelList),
		PaymentInfo:   inv.PaymentInfo,
	}
}

// expireLocked turns a created invoice whose validity ran out into expired.
// No webhook is sent: the current docs say webHookUrl is called on status
// changes "except expired".
func (s *Server) expireLocked(inv *invoice, now time.Time) {
	if inv.Status != "created" {
		return
	}
	end := inv.CreatedDate.Add(inv.Validity)
	if now.Before(end) {
		return
	}
	inv.Status = "expired"
	inv.ModifiedDate = end.UTC().Truncate(time.Second)
}

// touchLocked moves modifiedDate to the clock, in whole seconds like the
// docs' examples, and strictly forward so that clients comparing
// modifiedDate always see the newer state as newer.
func (s *Server) touchLocked(inv *invoice) time.Time {
	t := s.now().UTC().Truncate(time.Second)
	if !t.After(inv.ModifiedDate) {
		t = inv.ModifiedDate.Add(time.Second)
	}
	inv.ModifiedDate = t
	return t
}

func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// idAlphabet spells invoice ids: 22 of its characters are more than 128
// bits.
const idAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

func mustEncodeKey(pub *ecdsa.PublicKey) string {
	k, err := sign.EncodePublicKey(pub)
	if err != nil {
		panic(fmt.Sprintf("fake monobank: encode key: %v", err))
	}
	return k
}
