package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/kv"
)

// Guessing activation codes is throttled per messenger user: after
// MaxWrongCodes wrong codes within CodeWindow, codes are refused unread until
// the window ends. Only a wrong code writes (one KV write); the counter
// expires with its window.
const (
	MaxWrongCodes = 5
	CodeWindow    = 15 * time.Minute
)

// ThrottleKey is the KV key counting a user's wrong codes.
func ThrottleKey(messenger, userID string) string { return "thr:" + messenger + ":" + userID }

// activate redeems an activation code for the user.
func (c *conv) activate(ctx context.Context, code string) error {
	now := c.b.Now().UTC()
	th, err := c.throttle(ctx, now)
	if err != nil {
		return c.fail(ctx, err)
	}
	if th.n >= MaxWrongCodes {
		wait := th.first.Add(CodeWindow).Sub(now)
		return c.say(ctx, sprintf(c.t.throttled, int((wait+time.Minute-1)/time.Minute)))
	}
	m, op, err := c.b.Merchants.Redeem(ctx, code, c.ev.Messenger, c.ev.UserID, c.ev.Name)
	switch {
	case err == nil:
		c.op = &op
		return c.say(ctx, sprintf(c.t.activated, c.t.quote(m.Name)))
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
		return c.say(ctx, sprintf(c.t.activated, c.t.quote(m.Name)))
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

// throttleState is the value of a throttle key: "{count} {unix time of the first}".
type throttleState struct {
	n     int
	first time.Time
}

func (c *conv) throttle(ctx context.Context, now time.Time) (throttleState, error) {
	b, err := c.b.KV.Get(ctx, ThrottleKey(c.ev.Messenger, c.ev.UserID))
	if errors.Is(err, kv.ErrNotFound) {
		return throttleState{}, nil
	}
	if err != nil {
		return throttleState{}, errs.Storage(err)
	}
	n, first, ok := strings.Cut(string(b), " ")
	count, err1 := strconv.Atoi(n)
	unix, err2 := strconv.ParseInt(first, 10, 64)
	st := throttleState{n: count, first: time.Unix(unix, 0).UTC()}
	if !ok || err1 != nil || err2 != nil || !now.Before(st.first.Add(CodeWindow)) {
		return throttleState{}, nil // garbage or an old window: start afresh
	}
	return st, nil
}

func (c *conv) wrongCode(ctx context.Context, th throttleState, now time.Time) error {
	if th.n == 0 {
		th.first = now
	}
	th.n++
	// The key lives until the window ends (KV's TTL is at least a minute).
	ttl := max(th.first.Add(CodeWindow).Sub(now), kv.MinTTL)
	v := fmt.Sprintf("%d %d", th.n, th.first.Unix())
	if err := c.b.KV.Put(ctx, ThrottleKey(c.ev.Messenger, c.ev.UserID), []byte(v), ttl); err != nil {
		return errs.Storage(fmt.Errorf("count wrong code: %w", err))
	}
	return nil
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
