package liqpay

import (
	"maps"
	"time"
)

// Order is a snapshot of a checkout held by the fake: what the merchant sent
// and what the fake decided.
type Order struct {
	OrderID        string
	LiqpayOrderID  string
	PaymentID      int64 // 0 until a payment was attempted
	Status         string
	Amount         int64 // minor units
	Currency       string
	Description    string
	ResultURL      string
	ServerURL      string
	Language       string
	Info           string
	Sandbox        bool
	ExpiredDate    time.Time // zero if none was sent
	CardMask       string    // like 424242*42
	CardType       string
	Is3DS          bool
	ErrCode        string
	ErrDescription string
	Refunded       int64 // minor units refunded so far
	CreateDate     time.Time
	EndDate        time.Time
	RefundDateLast time.Time
	Params         map[string]any // the decoded checkout data, as sent
}

type order struct {
	Order
	data          string // the checkout data, to recognise a reload
	authcode, rrn string
	history       []*Callback // callbacks of this order, oldest first
	processing    []pendingRefund
}

// Order statuses the fake uses. "prepared" is internal: the checkout page was
// shown but no payment was attempted, and the status API answers
// payment_not_found.
const (
	statusPrepared = "prepared"
	statusSuccess  = "success"
	statusSandbox  = "sandbox"
	statusFailure  = "failure"
	statusReversed = "reversed"
	// statusWaitAccept is a success while LiqPay has not verified the shop
	// (SetShopVerified).
	statusWaitAccept = "wait_accept"
)

// Orders returns a snapshot of every order, oldest first.
func (s *Server) Orders() []Order {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Order, 0, len(s.seq))
	for _, id := range s.seq {
		out = append(out, s.orders[id].snapshot())
	}
	return out
}

// Order returns a snapshot of one order by the merchant's order_id.
func (s *Server) Order(orderID string) (Order, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orders[orderID]
	if !ok {
		return Order{}, false
	}
	return o.snapshot(), true
}

func (o *order) snapshot() Order {
	c := o.Order
	c.Params = maps.Clone(c.Params)
	return c
}

// payment is the order as LiqPay reports it in callbacks and the status API.
func (s *Server) payment(o *order, action string) Payment {
	p := Payment{
		Action:             action,
		PaymentID:          o.PaymentID,
		Status:             o.Status,
		Version:            3,
		Type:               "buy",
		PayType:            "card",
		PublicKey:          s.pubKey(),
		AcqID:              414963,
		OrderID:            o.OrderID,
		LiqpayOrderID:      o.LiqpayOrderID,
		Description:        o.Description,
		SenderCardMask2:    o.CardMask,
		SenderCardType:     o.CardType,
		SenderCardBank:     "Fake Bank",
		SenderCardCountry:  804,
		Info:               o.Info,
		Amount:             formatAmount(o.Amount),
		Currency:           o.Currency,
		SenderCommission:   formatAmount(0),
		ReceiverCommission: formatAmount(0),
		AgentCommission:    formatAmount(0),
		AmountDebit:        formatAmount(o.Amount),
		AmountCredit:       formatAmount(o.Amount),
		CurrencyDebit:      o.Currency,
		CurrencyCredit:     o.Currency,
		Is3DS:              o.Is3DS,
		Language:           o.Language,
		CreateDate:         o.CreateDate.UnixMilli(),
		EndDate:            o.EndDate.UnixMilli(),
		TransactionID:      o.PaymentID,
		ErrCode:            o.ErrCode,
		ErrDescription:     o.ErrDescription,
	}
	if o.Status == statusSuccess || o.Status == statusSandbox || o.Status == statusWaitAccept || o.Status == statusReversed {
		p.RRNDebit, p.AuthcodeDebit = o.rrn, o.authcode
		p.ReceiverCommission = formatAmount((o.Amount*15 + 500) / 1000) // 1.5 %
	}
	if o.Refunded > 0 {
		p.RefundAmount = formatAmount(o.Refunded)
		p.RefundDateLast = o.RefundDateLast.UnixMilli()
	}
	return p
}
