package sandbox

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/paylastic/edge/core/bank"
	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/ids"
	"github.com/paylastic/edge/core/money"
)

// callbackBody is the JSON the sandbox posts to the callback URL.
type callbackBody struct {
	EventID   string       `json:"event_id"`   // unique per callback
	Payment   string       `json:"payment_id"` // the sandbox's payment id
	Order     string       `json:"order_id"`   // the check's signed token
	Status    string       `json:"status"`     // success | failure | expired
	Reason    string       `json:"reason,omitempty"`
	Amount    money.Amount `json:"amount"` // kopiykas
	Currency  string       `json:"currency"`
	CardLast4 string       `json:"card_last4,omitempty"`
	Modified  time.Time    `json:"modified"`  // the bank's time of the status
	Timestamp int64        `json:"timestamp"` // unix seconds of sending
}

// Sign returns the X-Sandbox-Signature of a callback body.
func Sign(key, body []byte) string { return hex.EncodeToString(mac(key, body)) }

// Callback authenticates a sandbox callback (HMAC-SHA256 of the raw body)
// before it reads a byte of it as JSON, then refuses it as a replay if its
// timestamp is older than MaxAge.
func (b *Bank) Callback(ctx context.Context, c bank.Callback) (bank.Notification, error) {
	sig, err := hex.DecodeString(c.Header.Get(SignatureHeader))
	if err != nil || !hmac.Equal(sig, mac(b.hookKey, c.Body)) {
		return bank.Notification{}, errs.E(errs.Unauthorized, "bad sandbox signature")
	}
	var cb callbackBody
	if err := json.Unmarshal(c.Body, &cb); err != nil {
		return bank.Notification{}, errs.Wrap(errs.Invalid, err, "malformed sandbox callback")
	}
	now := b.env.Now()
	sent := time.Unix(cb.Timestamp, 0)
	if now.Sub(sent) > MaxAge || sent.Sub(now) > maxSkew {
		return bank.Notification{}, errs.E(errs.Unauthorized, "stale sandbox callback")
	}
	st := check.AttemptStatus(cb.Status)
	switch st {
	case check.AttemptSuccess, check.AttemptFailure, check.AttemptExpired:
	default:
		return bank.Notification{}, errs.E(errs.Invalid, "unknown sandbox status")
	}
	if cb.Payment == "" || cb.Order == "" || cb.Currency != "UAH" || cb.Amount <= 0 {
		return bank.Notification{}, errs.E(errs.Invalid, "incomplete sandbox callback")
	}
	return bank.Notification{
		Token:  cb.Order,
		Amount: cb.Amount,
		ID:     cb.EventID,
		Event: check.Event{
			Provider:    Name,
			ProviderRef: cb.Payment,
			Status:      st,
			Reason:      cb.Reason,
			Modified:    cb.Modified.UTC(),
			Test:        true,
			Card:        maskLast4(cb.CardLast4),
		},
	}, nil
}

func mac(key, body []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write(body)
	return m.Sum(nil)
}

// notify posts the signed callback for rec to o.Callback. A failure is
// returned for the log only: the bank does not retry, the product's Status
// calls recover the payment (invariant 3, docs/invariants.md).
func (b *Bank) notify(ctx context.Context, o order, rec record) error {
	eventID, err := ids.Random(b.env.Rand, 16)
	if err != nil {
		return fmt.Errorf("sandbox callback: %w", err)
	}
	body, err := json.Marshal(callbackBody{
		EventID:   eventID,
		Payment:   rec.Payment,
		Order:     o.Token,
		Status:    string(rec.Status),
		Reason:    rec.Reason,
		Amount:    rec.Amount,
		Currency:  "UAH",
		CardLast4: rec.Last4,
		Modified:  rec.Modified,
		Timestamp: b.env.Now().Unix(),
	})
	if err != nil {
		return fmt.Errorf("sandbox callback: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, o.Callback, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("sandbox callback: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(SignatureHeader, Sign(b.hookKey, body))
	resp, err := b.env.Client().Do(req)
	if err != nil {
		return fmt.Errorf("sandbox callback: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("sandbox callback: answered %s", resp.Status)
	}
	return nil
}

// maskLast4 shows a card by its last four digits ("•••• 4242"); "" if unknown.
func maskLast4(last4 string) string {
	if len(last4) != 4 {
		return ""
	}
	return "•••• " + last4
}
