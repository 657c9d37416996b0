package bot

import (
	"context"
	"strings"

	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/errs"
)

// callback handles an inline button press. Every path ends in exactly one
// Answer, so the button never spins, even for old or foreign buttons.
func (c *conv) callback(ctx context.Context) error {
	if c.op == nil {
		return c.send(ctx, Reply{Kind: Answer, Text: c.t.needCode})
	}
	if id, ok := ParseButton(c.ev.Data); ok && id >= ShopChecks {
		// an owner's inline button ("yesterday" under a report)
		if err := c.send(ctx, Reply{Kind: Answer}); err != nil {
			c.logSend(err)
		}
		return c.press(ctx, id)
	}
	for prefix, f := range map[string]func(context.Context, string) error{
		RefundPrefix: c.refundAsk, RefundYesPrefix: c.refund, RefundNoPrefix: c.refundKeep,
		StaffAddData: c.staffAdd, StaffRemovePrefix: c.staffRemoveAsk, StaffRemoveYesPrefix: c.staffRemove,
	} {
		if short, ok := strings.CutPrefix(c.ev.Data, prefix); ok {
			return f(ctx, short)
		}
	}
	short, ok := strings.CutPrefix(c.ev.Data, CancelPrefix)
	if !ok {
		return c.send(ctx, Reply{Kind: Answer, Text: c.t.staleButton})
	}
	chk, err := c.b.Checks.Lookup(ctx, *c.op, short)
	if err != nil {
		return c.storageOr(ctx, err, c.t.noSuchCheck)
	}
	st, err := c.b.Checks.Cancel(ctx, *c.op, chk.Ref())
	switch code := errs.CodeOf(err); {
	case code == errs.Conflict:
		return c.send(ctx, Reply{Kind: Answer, Text: sprintf(c.t.notOpen, check.ShortID(chk.ID), c.t.statusWord(st.Status))})
	case err != nil:
		return c.storageOr(ctx, err, c.t.noSuchCheck)
	}
	// The check is cancelled for good; what follows only tells the
	// operator, and a failure to tell is logged, not retried: the
	// redelivered press would find the check cancelled already.
	text := sprintf(c.t.cancelled, check.ShortID(chk.ID), c.t.amount(chk.Amount))
	if err := c.send(ctx, Reply{Kind: Edit, Text: text}); err != nil {
		c.logSend(err)
	}
	if err := c.send(ctx, Reply{Kind: Answer, Text: c.t.cancelledAck}); err != nil {
		c.logSend(err)
	}
	return nil
}

func (c *conv) logSend(err error) {
	c.b.Log.Warn("bot reply not sent", "messenger", c.ev.Messenger, "err", err)
}
