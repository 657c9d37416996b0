package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/paylastic/edge/core/cas"
	"github.com/paylastic/edge/core/errs"
)

// Guessing activation codes is throttled per messenger user: after
// MaxWrongCodes wrong codes within CodeWindow, codes are refused unread until
// the window ends. Only a wrong code writes, and to the consistent store
// (one conditional write; D1's daily writes are a hundred times KV's, and
// the count cannot be lost to a concurrent guess); the counter expires with
// its window.
const (
	MaxWrongCodes = 5
	CodeWindow    = 15 * time.Minute
)

// ThrottleKey is the consistent store's key counting a user's wrong codes.
func ThrottleKey(messenger, userID string) string { return "thr:" + messenger + ":" + userID }

// activate redeems an activation code for the user.
func (c *conv) activate(ctx context.Context, code string) error {
	now := c.b.Now().UTC()
	th, err := c.throttle(ctx, now)
	if err != nil {
		return c.fail(ctx, err)
	}
	if th.N >= MaxWrongCodes {
		wait := th.First.Add(CodeWindow).Sub(now)
		return c.say(ctx, sprintf(c.t.throttled, int((wait+time.Minute-1)/time.Minute)))
	}
	m, op, err := c.b.Merchants.Redeem(ctx, code, c.ev.Messenger, c.ev.UserID, c.ev.Name)
	switch {
	case err == nil:
		c.op = &op
		c.keepLang(ctx)
		return c.say(ctx, sprintf(c.t.activated, c.t.role(c.op), c.t.quote(m.Name)))
	case errs.CodeOf(err) != errs.NotFound:
		return c.fail(ctx, err)
	}
	if c.redelivered() {
		// Redeem deleted the code when this very message was first handled
		// (the answer was lost, so the messenger sends it again).
		m, err := c.b.Merchants.Get(ctx, c.op.Merchant)
		if err != nil {
			return c.storageOr(ctx, err, c.t.merchantGone)
		}
		return c.say(ctx, sprintf(c.t.activated, c.t.role(c.op), c.t.quote(m.Name)))
	}
	if err := c.wrongCode(ctx, th, now); err != nil {
		return c.fail(ctx, err)
	}
	return c.say(ctx, c.t.wrongCode)
}

// redelivered reports whether the user became an operator after this
// message was written: then the message is what bound them, seen again.
// Messenger clocks and ours agree to well within the minute allowed.
func (c *conv) redelivered() bool {
	return c.op != nil && !c.ev.At.IsZero() && !c.op.Activated.Before(c.ev.At.Add(-time.Minute))
}

// throttleState is the record at a throttle key.
type throttleState struct {
	N       int       `json:"n"`
	First   time.Time `json:"first"`
	version int64
}

func (c *conv) throttle(ctx context.Context, now time.Time) (throttleState, error) {
	rec, err := c.b.Store.Get(ctx, ThrottleKey(c.ev.Messenger, c.ev.UserID))
	if errors.Is(err, cas.ErrNotFound) {
		return throttleState{}, nil
	}
	if err != nil {
		return throttleState{}, errs.Storage(fmt.Errorf("read code throttle: %w", err))
	}
	var st throttleState
	if json.Unmarshal(rec.Value, &st) != nil || !now.Before(st.First.Add(CodeWindow)) {
		st = throttleState{} // garbage or an old window: start afresh
	}
	st.version = rec.Version
	return st, nil
}

// wrongCode counts one wrong code. A concurrent guess from the same user
// makes the write conflict: it reads again and counts on top.
func (c *conv) wrongCode(ctx context.Context, th throttleState, now time.Time) error {
	key := ThrottleKey(c.ev.Messenger, c.ev.UserID)
	for try := 0; ; try++ {
		if th.N == 0 {
			th.First = now
		}
		th.N++
		v, _ := json.Marshal(th)
		_, err := c.b.Store.Put(ctx, key, v, th.version, th.First.Add(CodeWindow))
		if errors.Is(err, cas.ErrConflict) && try < 8 {
			if th, err = c.throttle(ctx, now); err != nil {
				return err
			}
			continue
		}
		if err != nil {
			return errs.Storage(fmt.Errorf("count wrong code: %w", err))
		}
		return nil
	}
}

// storageOr answers text for a missing record and fails on storage trouble.
func (c *conv) storageOr(ctx context.Context, err error, text string) error {
	if errs.CodeOf(err) == errs.NotFound {
		if c.ev.Kind == Callback {
			return c.send(ctx, Reply{Kind: Answer, Text: text})
		}
		return c.say(ctx, text)
	}
	return c.fail(ctx, err)
}

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }
