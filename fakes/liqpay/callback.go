package liqpay

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/paylastic/edge/core/bank/liqpay/sign"
	"github.com/paylastic/edge/fakes/internal/fakebank"
)

// Callback is one server callback the fake sent, or would have sent.
type Callback struct {
	OrderID    string
	Action     string // pay or refund
	Status     string // the status in Data
	URL        string
	Data       string // the form fields exactly as sent
	Signature  string
	Dropped    bool // lost on purpose (SetDropCallbacks): never sent
	Resent     bool // sent by Resend or SendStale
	StatusCode int  // HTTP status of the answer; 0 if none
	Err        string
	Time       time.Time
}

// Delivered reports whether the receiver answered 200 OK.
func (c Callback) Delivered() bool { return c.StatusCode == http.StatusOK }

// Payment decodes Data.
func (c Callback) Payment() (Payment, error) {
	var p Payment
	err := sign.Decode(c.Data, &p)
	return p, err
}

type delivery struct{ entry *Callback }

// Callbacks returns the newest MaxCallbackLog callbacks, oldest first.
func (s *Server) Callbacks() []Callback {
	s.mu.Lock()
	defer s.mu.Unlock()
	return fakebank.Values(s.log)
}

// Resend sends the order's latest callback again (a duplicate delivery),
// even while callbacks are dropped, and returns once it was answered.
func (s *Server) Resend(orderID string) error { return s.resend(orderID, "") }

// SendStale sends again the latest callback in which the order had status
// (for example "success" after "reversed"), as a late, out-of-order delivery.
func (s *Server) SendStale(orderID, status string) error {
	if status == "" {
		return fmt.Errorf("send stale %s: empty status: %w", orderID, ErrNoCallback)
	}
	return s.resend(orderID, status)
}

func (s *Server) resend(orderID, status string) error {
	return fakebank.Resend(&s.mu, func() (*delivery, error) { return s.requeueLocked(orderID, status) }, s.deliver)
}

// requeueLocked queues again the order's latest callback with status ("" for
// its latest of all).
func (s *Server) requeueLocked(orderID, status string) (*delivery, error) {
	o, ok := s.orders[orderID]
	if !ok {
		return nil, fmt.Errorf("resend %s: %w", orderID, ErrUnknownOrder)
	}
	i := fakebank.Latest(o.history, status, func(c *Callback) string { return c.Status })
	if i < 0 || o.history[i].URL == "" {
		return nil, fmt.Errorf("resend %s %q: %w", orderID, status, ErrNoCallback)
	}
	return s.queueLocked(*o.history[i], true), nil
}

// notifyLocked signs the order's current state as a callback, keeps it for
// Resend and returns its delivery, nil if there is nothing to send.
func (s *Server) notifyLocked(o *order, action string) *delivery {
	p := s.payment(o, action)
	data, err := sign.Data(p)
	if err != nil {
		panic("fake liqpay: encode callback: " + err.Error())
	}
	c := Callback{
		OrderID:   o.OrderID,
		Action:    action,
		Status:    p.Status,
		URL:       o.ServerURL,
		Data:      data,
		Signature: sign.Signature(s.privKey(), data),
	}
	o.history = append(o.history, &c)
	o.history = fakebank.Keep(o.history, maxHistory)
	if c.URL == "" {
		return nil
	}
	return s.queueLocked(c, false)
}

// queueLocked logs a copy of c and returns its delivery unless dropped.
func (s *Server) queueLocked(c Callback, resent bool) *delivery {
	c.Resent, c.Dropped = resent, s.drop && !resent
	c.StatusCode, c.Err, c.Time = 0, "", s.now()
	e := &c
	s.log = fakebank.Keep(append(s.log, e), MaxCallbackLog)
	if e.Dropped {
		return nil
	}
	return &delivery{entry: e}
}

// deliver POSTs the callback once, form-encoded. LiqPay's retry policy is
// not documented; the fake does not retry.
func (s *Server) deliver(ctx context.Context, d *delivery) {
	if d == nil {
		return
	}
	form := url.Values{"data": {d.entry.Data}, "signature": {d.entry.Signature}}.Encode()
	header := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
	_, code, errText := fakebank.Send(ctx, s.client(), 1, d.entry.URL, []byte(form), header)
	s.mu.Lock()
	d.entry.StatusCode, d.entry.Err = code, errText
	s.mu.Unlock()
}
