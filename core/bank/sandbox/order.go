package sandbox

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/kv"
	"github.com/paylastic/edge/core/money"
)

// order is what the sandbox knows of a payment before the buyer pays. It
// travels, signed, in the card page's address instead of being stored.
type order struct {
	Payment  string       `json:"p"`
	Token    string       `json:"l"` // the check's signed token: the order reference
	Amount   money.Amount `json:"a"`
	Merchant string       `json:"m"` // the payee's name, shown on the page
	Return   string       `json:"r"` // result URL
	Callback string       `json:"c"` // server callback URL
	Valid    int64        `json:"v"` // unix seconds: the page takes payments until then
	Lang     string       `json:"g"`
}

// errBadOrder says nothing more, like check.ErrBadRef.
var errBadOrder = errors.New("sandbox: bad order")

const maxOrderLen = 2048

func (b *Bank) encodeOrder(o order) (string, error) {
	js, err := json.Marshal(o)
	if err != nil {
		return "", fmt.Errorf("encode order: %w", err)
	}
	body := base64.RawURLEncoding.EncodeToString(js)
	return body + "." + base64.RawURLEncoding.EncodeToString(b.orderMAC(body)), nil
}

func (b *Bank) decodeOrder(tok string) (order, error) {
	var o order
	body, mac, ok := strings.Cut(tok, ".")
	// base64 skips CR and LF, even strict: refused, one address per order
	if !ok || len(tok) > maxOrderLen || strings.ContainsAny(tok, "\r\n") {
		return o, errBadOrder
	}
	// Strict: base64's last character carries spare bits, and a lenient
	// decoder reads four spellings of one MAC as the same (FuzzOrder found
	// one): an order has one address.
	got, err := base64.RawURLEncoding.Strict().DecodeString(mac)
	if err != nil || !hmac.Equal(got, b.orderMAC(body)) {
		return o, errBadOrder
	}
	js, err := base64.RawURLEncoding.Strict().DecodeString(body)
	if err != nil || json.Unmarshal(js, &o) != nil || o.Payment == "" {
		return o, errBadOrder
	}
	return o, nil
}

func (b *Bank) orderMAC(body string) []byte {
	m := hmac.New(sha256.New, b.orderKey)
	m.Write([]byte(body))
	return m.Sum(nil)[:16]
}

func (o order) valid() time.Time { return time.Unix(o.Valid, 0).UTC() }

// record is the bank's record of a decided payment, sb:{payment}. It never
// holds a card number or CVV: only the last four digits.
type record struct {
	Payment  string              `json:"payment"`
	Check    string              `json:"check"` // the check's invoice id
	Amount   money.Amount        `json:"amount"`
	Status   check.AttemptStatus `json:"status"`
	Reason   string              `json:"reason,omitempty"`
	Last4    string              `json:"last4,omitempty"`
	Created  time.Time           `json:"created"`
	Modified time.Time           `json:"modified"`
}

// RecordPrefix is the prefix of the sandbox bank's KV keys.
const RecordPrefix = "sb:"

func recordKey(payment string) string { return RecordPrefix + payment }

func (b *Bank) record(ctx context.Context, payment string) (record, error) {
	var rec record
	err := kv.GetJSON(ctx, b.env.KV, recordKey(payment), &rec)
	return rec, err
}

func (b *Bank) putRecord(ctx context.Context, rec record) error {
	return kv.PutJSON(ctx, b.env.KV, recordKey(rec.Payment), rec, retention)
}
