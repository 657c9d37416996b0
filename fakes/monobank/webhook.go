package monobank

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/paylastic/edge/core/bank/monobank/sign"
	"github.com/paylastic/edge/fakes/internal/fakebank"
)

// Webhook is one webhook the fake sent, or would have sent.
type Webhook struct {
	InvoiceID  string
	Status     string // the invoice status in Body
	URL        string
	Body       []byte // exactly the bytes sent
	XSign      string // "" when Dropped
	Dropped    bool   // lost on purpose (SetDropWebhooks): never sent
	Resent     bool   // sent by Resend or SendStale
	Attempts   int    // POSTs made, at most 3
	StatusCode int    // HTTP status of the last attempt; 0 if none answered
	Err        string // transport error of the last attempt
	Time       time.Time
}

// Delivered reports whether the receiver answered 200 OK.
func (w Webhook) Delivered() bool { return w.StatusCode == http.StatusOK }

type delivery struct {
	entry *Webhook
	body  []byte
	xSign string
}

// Webhooks returns the newest MaxWebhookLog webhooks, oldest first. An entry
// is added when a webhook is prepared; its delivery fields fill in when the
// receiver answers.
func (s *Server) Webhooks() []Webhook {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := fakebank.Values(s.log)
	for i := range out {
		out[i].Body = bytes.Clone(out[i].Body)
	}
	return out
}

// Resend sends the invoice's latest webhook body again (a duplicate
// delivery), signed with the current key. It is sent even while webhooks are
// dropped, and returns once the receiver has answered; delivery failures are
// in Webhooks, not the error.
func (s *Server) Resend(invoiceID string) error {
	return s.resend(invoiceID, "")
}

// SendStale sends again the latest webhook body in which the invoice had
// status (for example "processing" after "success"), as a late, out-of-order
// delivery. Like Resend it ignores SetDropWebhooks.
func (s *Server) SendStale(invoiceID, status string) error {
	if status == "" {
		return fmt.Errorf("send stale %s: empty status: %w", invoiceID, ErrNoWebhook)
	}
	return s.resend(invoiceID, status)
}

func (s *Server) resend(invoiceID, status string) error {
	return fakebank.Resend(&s.mu, func() (*delivery, error) { return s.requeueLocked(invoiceID, status) }, s.deliver)
}

// requeueLocked queues again the invoice's latest webhook body with status
// ("" for its latest of all), to its current webHookUrl.
func (s *Server) requeueLocked(invoiceID, status string) (*delivery, error) {
	inv, ok := s.invoices[invoiceID]
	if !ok {
		return nil, fmt.Errorf("resend %s: %w", invoiceID, ErrUnknownInvoice)
	}
	i := fakebank.Latest(inv.history, status, func(e event) string { return e.status })
	if i < 0 || inv.WebHookURL == "" {
		return nil, fmt.Errorf("resend %s %q: %w", invoiceID, status, ErrNoWebhook)
	}
	ev := inv.history[i]
	return s.queueLocked(inv, ev.status, ev.body, true), nil
}

// notifyLocked records the invoice's current state as a webhook body and
// returns its delivery, nil if there is nothing to send.
func (s *Server) notifyLocked(inv *invoice) *delivery {
	body := marshalWebhook(inv.status())
	inv.history = append(inv.history, event{status: inv.Status, body: body})
	inv.history = fakebank.Keep(inv.history, maxHistory)
	if inv.WebHookURL == "" {
		return nil
	}
	return s.queueLocked(inv, inv.Status, body, false)
}

// queueLocked logs a webhook and, unless it is dropped, signs it.
func (s *Server) queueLocked(inv *invoice, status string, body []byte, resent bool) *delivery {
	e := &Webhook{
		InvoiceID: inv.ID,
		Status:    status,
		URL:       inv.WebHookURL,
		Body:      body,
		Dropped:   s.drop && !resent,
		Resent:    resent,
		Time:      s.now(),
	}
	s.log = fakebank.Keep(append(s.log, e), MaxWebhookLog)
	if e.Dropped {
		return nil
	}
	s.signed++
	if s.rotateEvery > 0 && s.signed%s.rotateEvery == 0 {
		s.rotateLocked()
	}
	xSign, err := sign.Sign(s.key, body)
	if err != nil {
		panic("fake monobank: sign webhook: " + err.Error())
	}
	e.XSign = xSign
	return &delivery{entry: e, body: body, xSign: xSign}
}

// deliver POSTs the webhook up to three times, until the receiver answers
// 200 OK. The real bank spaces retries out (about 60 s and 600 s, per a
// third-party SDK); the fake retries at once.
func (s *Server) deliver(ctx context.Context, d *delivery) {
	if d == nil {
		return
	}
	header := http.Header{"Content-Type": {"application/json"}, "X-Sign": {d.xSign}}
	attempts, code, errText := fakebank.Send(ctx, s.client(), webhookTries, d.entry.URL, d.body, header)
	s.mu.Lock()
	d.entry.Attempts, d.entry.StatusCode, d.entry.Err = attempts, code, errText
	s.mu.Unlock()
}

// marshalWebhook encodes a webhook body with two-space indentation, like the
// docs' signed example, so that a receiver that re-serializes the JSON before
// verifying fails here as it would with the bank.
func marshalWebhook(st StatusResponse) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(st); err != nil {
		panic("fake monobank: encode webhook: " + err.Error())
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}
