// Package check is the check («чек» to a cashier): what was asked, by whom,
// and where it stands. It has no storage and no platform code; the checks
// package stores it.
//
// A check is two records, because Workers KV is eventually consistent and
// last-write-wins: the Check, written once by the request that created it,
// and its State, written by the buyer's and the bank's requests, which may
// run in other locations and must never overwrite the creator's data.
package check

import (
	"strings"
	"time"

	"github.com/paylastic/edge/core/money"
)

// IDBytes is the size of a check id: 128 bits, unguessable (invariant 7,
// docs/invariants.md).
const IDBytes = 16

// Check is a check as created. It never changes after the first write.
type Check struct {
	ID       string       `json:"id"`       // ids.Encode of IDBytes bytes
	Merchant string       `json:"merchant"` // merchant id
	Operator string       `json:"operator"` // the cashier's operator id (merchant.OperatorID)
	Amount   money.Amount `json:"amount"`
	Created  time.Time    `json:"created"`
	Expires  time.Time    `json:"expires"`
	Chat     Chat         `json:"chat"`
}

// Chat is where the check was created and where notifications go.
type Chat struct {
	Messenger string `json:"messenger"` // "telegram" or "viber"
	ChatID    string `json:"chat_id"`   // Telegram chat id / Viber user id
	UserID    string `json:"user_id"`   // the operator's messenger user id
	Lang      string `json:"lang"`      // "uk" or "en"
}

// Ref returns what the check's link carries (see Ref).
func (chk Check) Ref() Ref {
	return Ref{ID: chk.ID, Merchant: chk.Merchant, Operator: chk.Operator, Amount: chk.Amount, Created: chk.Created, Expires: chk.Expires}
}

// Expired reports whether the check can no longer be paid at now.
func (chk Check) Expired(now time.Time) bool { return !now.Before(chk.Expires) }

// ShortID is the short name of a check people read and say — in the chat,
// on the buyer's receipt: the first six characters of its id, upper case
// ("K7Q2XF").
func ShortID(id string) string {
	if len(id) > 6 {
		id = id[:6]
	}
	return strings.ToUpper(id)
}
