// Package merchant keeps merchants, their operators (messenger users who
// take payments for them: owners and cashiers) and the one-time activation
// codes that bind the two, in the consistent store (package cas): a code
// is used once however many chats type it at once, and a cashier removed
// or a merchant disabled is so at every location at once.
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
	// "monobank" or "liqpay"; empty until one is set up.
	Provider string `json:"provider"`
	// Credentials are the provider credentials as JSON, sealed with
	// DATA_KEY (AES-GCM, bound to the merchant id); never stored in clear.
	Credentials []byte    `json:"credentials,omitempty"`
	Created     time.Time `json:"created"`
	// Disabled is when the admin disabled the merchant (zero: active): its
	// links answer that it takes no payments, its operators are told so.
	Disabled time.Time `json:"disabled,omitzero"`
	// CashierRefunds lets cashiers refund their own checks (owners always
	// may).
	CashierRefunds bool `json:"cashier_refunds,omitempty"`
	// OwnerNotices sends the owners a copy of every notice of every check
	// of the shop (a bot setting of the owner: /notices all).
	OwnerNotices bool `json:"owner_notices,omitempty"`
	// ReportAt is when the owners get the day's report, "HH:MM" Kyiv time
	// (empty: DefaultReportAt), or "off".
	ReportAt string `json:"report_at,omitempty"`
	// BankError is the bank's last refusal for good (credentials revoked,
	// shop blocked), kept for the admin until the merchant's bank is set
	// again.
	BankError *BankError `json:"bank_error,omitempty"`
}

// BankError is a refusal for good from a merchant's bank.
type BankError struct {
	At      time.Time `json:"at"`
	Message string    `json:"message"`
}

// DefaultReportAt is the daily report's time when the owner chose none.
const DefaultReportAt = "21:00"

// Active reports whether the merchant takes payments.
func (m Merchant) Active() bool { return m.Disabled.IsZero() }

// Role is what an operator may do.
type Role string

const (
	// Owner: everything, for every check of the shop; staff; refunds.
	Owner Role = "owner"
	// Cashier: creates, sees and cancels their own checks.
	Cashier Role = "cashier"
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r == Owner || r == Cashier }

// Operator is a messenger user bound to a merchant.
type Operator struct {
	Merchant  string    `json:"merchant"`
	Messenger string    `json:"messenger"`
	UserID    string    `json:"user_id"`
	Name      string    `json:"name,omitempty"`
	Activated time.Time `json:"activated"`
	// Role is empty for operators bound before roles existed: they are
	// owners (nothing they could do is taken away).
	Role Role `json:"role,omitempty"`
	// Lang is the operator's language as their messenger last reported it
	// ("uk", "en"), for messages no event of theirs asks for (the daily
	// report). Empty for operators bound before it was kept: Ukrainian.
	Lang string `json:"lang,omitempty"`
	// Removed is when the owner or the admin removed the operator (zero:
	// bound). A removed operator's record stays, so that their next
	// message is told why it does nothing.
	Removed time.Time `json:"removed,omitzero"`
}

// RoleOf is the operator's role.
func (op Operator) RoleOf() Role {
	if op.Role == "" {
		return Owner
	}
	return op.Role
}

// IsOwner reports whether the operator is an owner.
func (op Operator) IsOwner() bool { return op.RoleOf() == Owner }

// OperatorID is the short, stable, unguessable key of a messenger user, used
// in check ids and KV keys instead of the raw messenger id.
func OperatorID(secret []byte, messenger, userID string) string {
	return ids.Encode(ids.Derive(secret, check.OperatorBytes, "operator", messenger, userID))
}

// ID is the operator's OperatorID.
func (op Operator) ID(secret []byte) string { return OperatorID(secret, op.Messenger, op.UserID) }
