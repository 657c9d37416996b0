package merchant

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/paylastic/edge/core/cas"
	"github.com/paylastic/edge/core/errs"
)

// CodeTTL is how long an activation code works.
const CodeTTL = 7 * 24 * time.Hour

// code is the record of an activation code. Used is the messenger user who
// redeemed it ("telegram:42"): the code works for nobody else, and again
// for that user (a redelivered message, or one whose binding failed).
type code struct {
	Merchant string    `json:"merchant"`
	Role     Role      `json:"role,omitempty"`
	Expires  time.Time `json:"expires"`
	Used     string    `json:"used,omitempty"`
}

// codeAlphabet has no 0/O, 1/I/L: codes are read aloud and typed on phones.
const codeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

// IssueCode makes a new one-time activation code for merchant id, for an
// operator of the given role, formatted "XXXX-XXXX-XX" (10 characters,
// about 49 bits; guessing is throttled).
func (s Store) IssueCode(ctx context.Context, id string, role Role) (string, time.Time, error) {
	if !role.Valid() {
		return "", time.Time{}, errs.E(errs.Invalid, "role must be owner or cashier")
	}
	m, err := s.Get(ctx, id)
	if err != nil {
		return "", time.Time{}, err
	}
	if !m.Active() {
		return "", time.Time{}, errs.E(errs.Conflict, "the merchant is disabled")
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
	if _, err := s.put(ctx, s.codeKey(b.String()), code{Merchant: id, Role: role, Expires: expires}, 0, expires); err != nil {
		return "", time.Time{}, fmt.Errorf("issue code: %w", err) // a conflict: 49 bits collided
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

// Redeem uses an activation code: it binds the messenger user to the
// code's merchant, in the code's role. The code is marked used by this
// user in one conditional write before the binding is written: of two
// chats typing one code at once, one gets it. The same user redeeming it
// again finishes a binding that failed after the mark; once the binding is
// written the code is used up for them too. A wrong, used, expired or
// disabled merchant's code is errs.NotFound.
func (s Store) Redeem(ctx context.Context, typed, messenger, userID, name string) (Merchant, Operator, error) {
	key := s.codeKey(typed)
	me := messenger + ":" + userID
	now := s.Now().UTC()
	var c code
	for try := 0; ; try++ {
		v, err := s.get(ctx, key, &c)
		if errors.Is(err, cas.ErrNotFound) {
			c, v, err = s.moveCode(ctx, key)
		}
		switch {
		case errors.Is(err, cas.ErrNotFound):
			return Merchant{}, Operator{}, errs.E(errs.NotFound, "no such activation code")
		case err != nil:
			return Merchant{}, Operator{}, err
		case !now.Before(c.Expires) || c.Used != "" && c.Used != me:
			return Merchant{}, Operator{}, errs.E(errs.NotFound, "no such activation code")
		case c.Used == me:
			if op, err := s.Operator(ctx, messenger, userID); err == nil && op.Merchant == c.Merchant {
				return Merchant{}, Operator{}, errs.E(errs.NotFound, "activation code already used")
			}
		default:
			c.Used = me
			if _, err := s.put(ctx, key, c, v, c.Expires); errors.Is(err, cas.ErrConflict) && try < maxTries {
				continue // typed at once elsewhere: see who got it
			} else if err != nil {
				return Merchant{}, Operator{}, fmt.Errorf("redeem code: %w", err)
			}
		}
		break
	}
	m, err := s.Get(ctx, c.Merchant)
	if err != nil {
		return Merchant{}, Operator{}, err
	}
	if !m.Active() {
		return Merchant{}, Operator{}, errs.E(errs.NotFound, "no such activation code")
	}
	role := c.Role
	if role == "" {
		role = Owner // codes from before roles
	}
	op := Operator{Merchant: m.ID, Messenger: messenger, UserID: userID, Name: name, Activated: now, Role: role}
	if err := s.bind(ctx, op); err != nil {
		return Merchant{}, Operator{}, err
	}
	return m, op, nil
}
