// Package merchant keeps merchants, their operators (messenger users allowed
// to create checks) and the one-time activation codes that bind the two.
package merchant

import (
	"time"

	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/ids"
	"github.com/paylastic/edge/core/money"
)

// DefaultMaxAmount is a merchant's per-check limit when none is set.
const DefaultMaxAmount = 100_000 * money.Hryvnia

// Merchant is a business that takes payments.
type Merchant struct {
	ID        string       `json:"id"`
	Name      string       `json:"name"`
	MaxAmount money.Amount `json:"max_amount"`
	// Provider is the bank that takes this merchant's payments: "sandbox",
	// "monobank" or "liqpay".
	Provider string `json:"provider"`
	// Credentials are the provider credentials as JSON, sealed with
	// DATA_KEY (AES-GCM, bound to the merchant id); never stored in clear.
	Credentials []byte    `json:"credentials,omitempty"`
	Created     time.Time `json:"created"`
}

// Operator is a messenger user bound to a merchant.
type Operator struct {
	Merchant  string    `json:"merchant"`
	Messenger string    `json:"messenger"`
	UserID    string    `json:"user_id"`
	Name      string    `json:"name,omitempty"`
	Activated time.Time `json:"activated"`
}

// OperatorID is the short, stable, unguessable key of a messenger user, used
// in check ids and KV keys instead of the raw messenger id.
func OperatorID(secret []byte, messenger, userID string) string {
	return ids.Encode(ids.Derive(secret, check.OperatorBytes, "operator", messenger, userID))
}
