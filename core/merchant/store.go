package merchant

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/ids"
	"github.com/paylastic/edge/core/kv"
	"github.com/paylastic/edge/core/money"
)

// CodeTTL is how long an activation code works.
const CodeTTL = 7 * 24 * time.Hour

// Store keeps merchants in KV. Keys:
//
//	m:{id}                      merchant
//	op:{messenger}:{user}       operator binding
//	ac:{sha256(code)}           activation code (hashed; deleted when used)
type Store struct {
	KV     kv.Store
	Now    func() time.Time
	Rand   io.Reader
	Secret []byte // keys code hashes and operator keys (from LINK_SECRET)
}

// Create registers a merchant and issues its first activation code.
func (s Store) Create(ctx context.Context, name string, max money.Amount) (Merchant, string, error) {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return Merchant{}, "", errs.E(errs.Invalid, "name is required")
	case utf8.RuneCountInString(name) > 100:
		return Merchant{}, "", errs.E(errs.Invalid, "name is longer than 100 characters")
	}
	if max == 0 {
		max = DefaultMaxAmount
	}
	if max < 0 || max > money.MaxAmount {
		return Merchant{}, "", errs.E(errs.Invalid, "max_amount must be between 0.01 and %s", money.MaxAmount.Decimal())
	}
	id, err := ids.Random(s.Rand, check.MerchantBytes)
	if err != nil {
		return Merchant{}, "", fmt.Errorf("create merchant: %w", err)
	}
	m := Merchant{ID: id, Name: name, MaxAmount: max, Provider: "sandbox", Created: s.Now().UTC()}
	if err := s.Put(ctx, m); err != nil {
		return Merchant{}, "", err
	}
	code, _, err := s.IssueCode(ctx, m.ID)
	if err != nil {
		return Merchant{}, "", err
	}
	return m, code, nil
}

// Put stores m as it is.
func (s Store) Put(ctx context.Context, m Merchant) error {
	if err := kv.PutJSON(ctx, s.KV, "m:"+m.ID, m, 0); err != nil {
		return errs.Storage(err)
	}
	return nil
}

// Get returns the merchant with id, errs.NotFound if there is none.
func (s Store) Get(ctx context.Context, id string) (Merchant, error) {
	var m Merchant
	if _, err := ids.Decode(id, check.MerchantBytes); err != nil {
		return m, errs.E(errs.NotFound, "no such merchant")
	}
	if err := kv.GetJSON(ctx, s.KV, "m:"+id, &m); err != nil {
		return m, kv.Explain(err, "no such merchant")
	}
	return m, nil
}

// code is what KV keeps for an activation code.
type code struct {
	Merchant string    `json:"merchant"`
	Expires  time.Time `json:"expires"`
}

// codeAlphabet has no 0/O, 1/I/L: codes are read aloud and typed on phones.
const codeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

// IssueCode makes a new one-time activation code for merchant id, formatted
// "XXXX-XXXX-XX" (10 characters, about 49 bits; guessing is throttled).
func (s Store) IssueCode(ctx context.Context, id string) (string, time.Time, error) {
	if _, err := s.Get(ctx, id); err != nil {
		return "", time.Time{}, err
	}
	raw := make([]byte, 10)
	if _, err := io.ReadFull(s.Rand, raw); err != nil {
		return "", time.Time{}, fmt.Errorf("issue code: %w", err)
	}
	var b strings.Builder
	for i, c := range raw {
		if i == 4 || i == 8 {
			b.WriteByte('-')
		}
		b.WriteByte(codeAlphabet[int(c)%len(codeAlphabet)])
	}
	expires := s.Now().UTC().Add(CodeTTL)
	if err := kv.PutJSON(ctx, s.KV, s.codeKey(b.String()), code{Merchant: id, Expires: expires}, CodeTTL); err != nil {
		return "", time.Time{}, errs.Storage(err)
	}
	return b.String(), expires, nil
}

// NormalizeCode uppercases a typed code and drops spaces and dashes.
func NormalizeCode(typed string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(typed) {
		if r != '-' && r != ' ' && r != '\u00a0' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// LooksLikeCode reports whether typed has the shape of an activation code,
// so that bots can tell a code from an amount or a chat message.
func LooksLikeCode(typed string) bool {
	c := NormalizeCode(strings.TrimSpace(typed))
	if len(c) != 10 {
		return false
	}
	for _, r := range c {
		if !strings.ContainsRune(codeAlphabet, r) && !strings.ContainsRune("01OIL", r) {
			return false
		}
	}
	return true
}

func (s Store) codeKey(c string) string {
	h := sha256.Sum256(append(append([]byte{}, s.Secret...), NormalizeCode(c)...))
	return "ac:" + hex.EncodeToString(h[:])
}

// Redeem uses an activation code: it binds the messenger user to the code's
// merchant and deletes the code. A wrong, used or expired code is errs.NotFound.
func (s Store) Redeem(ctx context.Context, typed, messenger, userID, name string) (Merchant, Operator, error) {
	key := s.codeKey(typed)
	var c code
	if err := kv.GetJSON(ctx, s.KV, key, &c); err != nil {
		return Merchant{}, Operator{}, kv.Explain(err, "no such activation code")
	}
	now := s.Now().UTC()
	if !now.Before(c.Expires) {
		return Merchant{}, Operator{}, errs.E(errs.NotFound, "no such activation code")
	}
	m, err := s.Get(ctx, c.Merchant)
	if err != nil {
		return Merchant{}, Operator{}, err
	}
	op := Operator{Merchant: m.ID, Messenger: messenger, UserID: userID, Name: name, Activated: now}
	if err := kv.PutJSON(ctx, s.KV, operatorKey(messenger, userID), op, 0); err != nil {
		return Merchant{}, Operator{}, errs.Storage(err)
	}
	if err := s.KV.Delete(ctx, key); err != nil {
		// Single use matters more than this answer: fail, so the messenger
		// retries; binding again on the retry is harmless.
		return Merchant{}, Operator{}, errs.Storage(err)
	}
	return m, op, nil
}

// Operator returns the binding of a messenger user, errs.NotFound if none.
func (s Store) Operator(ctx context.Context, messenger, userID string) (Operator, error) {
	var op Operator
	if err := kv.GetJSON(ctx, s.KV, operatorKey(messenger, userID), &op); err != nil {
		return op, kv.Explain(err, "not an operator")
	}
	return op, nil
}

func operatorKey(messenger, userID string) string { return "op:" + messenger + ":" + userID }
