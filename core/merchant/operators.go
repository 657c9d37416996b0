package merchant

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/paylastic/edge/core/cas"
	"github.com/paylastic/edge/core/errs"
)

// ErrRemoved is wrapped in the errs.NotFound that Operator returns for an
// operator who was removed; the Operator it returns with it says from
// which merchant, for telling them.
var ErrRemoved = errors.New("merchant: operator removed")

func operatorKey(messenger, userID string) string { return "op:" + messenger + ":" + userID }

func memberKey(merchant, messenger, userID string) string {
	return "mo:" + merchant + ":" + messenger + ":" + userID
}

// bind writes op as the user's binding (replacing any other, removed or
// not) and lists them with their merchant.
func (s Store) bind(ctx context.Context, op Operator) error {
	key := operatorKey(op.Messenger, op.UserID)
	for range maxTries {
		var old Operator
		v, err := s.get(ctx, key, &old)
		if err != nil && !errors.Is(err, cas.ErrNotFound) {
			return err
		}
		if _, err := s.put(ctx, key, op, v, time.Time{}); errors.Is(err, cas.ErrConflict) {
			continue
		} else if err != nil {
			return fmt.Errorf("bind operator: %w", err)
		}
		_, err = s.DB.Put(ctx, memberKey(op.Merchant, op.Messenger, op.UserID), []byte{}, 0, time.Time{})
		if err != nil && !errors.Is(err, cas.ErrConflict) { // listed already: bound again
			return errs.Storage(fmt.Errorf("list operator: %w", err))
		}
		return nil
	}
	return errs.Storage(fmt.Errorf("bind operator: %d writes came first", maxTries))
}

// Operator returns the binding of a messenger user: errs.NotFound if there
// is none, and errs.NotFound wrapping ErrRemoved (with the binding, which
// names the merchant) if they were removed.
func (s Store) Operator(ctx context.Context, messenger, userID string) (Operator, error) {
	var op Operator
	_, err := s.get(ctx, operatorKey(messenger, userID), &op)
	if errors.Is(err, cas.ErrNotFound) {
		op, err = s.moveOperator(ctx, messenger, userID)
	}
	switch {
	case errors.Is(err, cas.ErrNotFound):
		return op, errs.E(errs.NotFound, "not an operator")
	case err != nil:
		return op, err
	case !op.Removed.IsZero():
		return op, errs.Wrap(errs.NotFound, ErrRemoved, "no longer an operator")
	}
	return op, nil
}

// Operators lists the merchant's operators, owners first (at most
// cas.MaxList of each page read; a shop has a handful).
func (s Store) Operators(ctx context.Context, merchant string) ([]Operator, error) {
	return s.operators(ctx, merchant, false)
}

// operators lists the merchant's operators now, or with all every member
// it ever had (Members).
func (s Store) operators(ctx context.Context, merchant string, all bool) ([]Operator, error) {
	prefix := "mo:" + merchant + ":"
	var out []Operator
	after := ""
	for {
		items, err := s.DB.List(ctx, prefix, after, cas.MaxList)
		if err != nil {
			return nil, errs.Storage(fmt.Errorf("list operators: %w", err))
		}
		keys := make([]string, len(items))
		for i, it := range items {
			rest := strings.TrimPrefix(it.Key, prefix)
			messenger, user, _ := strings.Cut(rest, ":")
			keys[i] = operatorKey(messenger, user)
			after = it.Key
		}
		recs, err := s.DB.GetMany(ctx, keys)
		if err != nil {
			return nil, errs.Storage(fmt.Errorf("read operators: %w", err))
		}
		for _, k := range keys {
			r, ok := recs[k]
			if !ok {
				continue
			}
			var op Operator
			if err := json.Unmarshal(r.Value, &op); err != nil {
				return nil, fmt.Errorf("operator record: %w", err)
			}
			// the binding is the truth: bound since to another merchant, or
			// removed, it is not this one's operator now (but was a member)
			if all || op.Merchant == merchant && op.Removed.IsZero() {
				out = append(out, op)
			}
		}
		if len(items) < cas.MaxList {
			sortOperators(out)
			return out, nil
		}
	}
}

// Remove unbinds an operator of the merchant: their next message is told
// they are no longer its operator; the checks they made stay payable.
// errs.NotFound if they are not its operator.
func (s Store) Remove(ctx context.Context, merchant, messenger, userID string) (Operator, error) {
	key := operatorKey(messenger, userID)
	for range maxTries {
		var op Operator
		v, err := s.get(ctx, key, &op)
		if errors.Is(err, cas.ErrNotFound) || err == nil && (op.Merchant != merchant || !op.Removed.IsZero()) {
			return op, errs.E(errs.NotFound, "not an operator of this merchant")
		}
		if err != nil {
			return op, err
		}
		op.Removed = s.Now().UTC()
		if _, err := s.put(ctx, key, op, v, time.Time{}); errors.Is(err, cas.ErrConflict) {
			continue
		} else if err != nil {
			return op, fmt.Errorf("remove operator: %w", err)
		}
		return op, nil
	}
	return Operator{}, errs.Storage(fmt.Errorf("remove operator: %d writes came first", maxTries))
}

// SetLang stores lang as the operator's language (Operator.Lang) and
// returns the binding. It writes only when lang differs from the stored
// one (one conditional write), so the bot may call it whenever a message
// reports a language. errs.NotFound if the user is not bound (or removed).
func (s Store) SetLang(ctx context.Context, messenger, userID, lang string) (Operator, error) {
	key := operatorKey(messenger, userID)
	for range maxTries {
		var op Operator
		v, err := s.get(ctx, key, &op)
		if errors.Is(err, cas.ErrNotFound) || err == nil && !op.Removed.IsZero() {
			return op, errs.E(errs.NotFound, "not an operator")
		}
		if err != nil || op.Lang == lang {
			return op, err
		}
		op.Lang = lang
		if _, err := s.put(ctx, key, op, v, time.Time{}); errors.Is(err, cas.ErrConflict) {
			continue
		} else if err != nil {
			return op, fmt.Errorf("set operator language: %w", err)
		}
		return op, nil
	}
	return Operator{}, errs.Storage(fmt.Errorf("set operator language: %d writes came first", maxTries))
}

// OperatorByID finds the merchant's operator whose OperatorID is id (the
// handle of a bot button or an admin path): errs.NotFound otherwise.
func (s Store) OperatorByID(ctx context.Context, merchant, id string) (Operator, error) {
	ops, err := s.Operators(ctx, merchant)
	if err != nil {
		return Operator{}, err
	}
	for _, op := range ops {
		if op.ID(s.Secret) == id {
			return op, nil
		}
	}
	return Operator{}, errs.E(errs.NotFound, "no such operator")
}

// Members lists everyone who was ever an operator of the merchant, as
// their bindings say now: removed ones, and those bound since to another
// merchant (their Merchant field names it), owners first. Their checks
// stay this merchant's: for lookups, the shop's lists, the report and the
// export of an old month. Membership keys are written once, never deleted.
func (s Store) Members(ctx context.Context, merchant string) ([]Operator, error) {
	return s.operators(ctx, merchant, true)
}
