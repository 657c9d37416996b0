package bot

import (
	"context"

	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/text"
)

// Data prefixes of the refund buttons; checks.Handle follows. The first
// button, under a paid notice, only asks; the refund happens on the
// confirmation, so a slip of the finger returns nobody's money.
const (
	RefundPrefix    = "refund:"
	RefundYesPrefix = "refundok:"
	RefundNoPrefix  = "refundno:"
)

// refundAsk answers the refund button with a confirmation question.
func (c *conv) refundAsk(ctx context.Context, short string) error {
	chk, err := c.b.Checks.Lookup(ctx, *c.op, short)
	if err != nil {
		return c.storageOr(ctx, err, c.t.noSuchCheck)
	}
	if !c.op.IsOwner() {
		m, err := c.b.Merchants.Get(ctx, c.op.Merchant)
		if err != nil {
			return c.storageOr(ctx, err, c.t.merchantGone)
		}
		if !m.CashierRefunds {
			return c.send(ctx, Reply{Kind: Answer, Text: c.t.refundForbidden})
		}
	}
	id := check.ShortID(chk.ID)
	if err := c.send(ctx, Reply{
		Kind: Message,
		Text: sprintf(c.t.refundAsk, c.t.amount(chk.Amount), id),
		Inline: []Inline{
			{Text: c.t.refundYes, Data: RefundYesPrefix + short},
			{Text: c.t.refundNo, Data: RefundNoPrefix + short},
		},
	}); err != nil {
		return err
	}
	if err := c.send(ctx, Reply{Kind: Answer}); err != nil {
		c.logSend(err)
	}
	return nil
}

// refund refunds the check after the operator confirmed. The bank's word
// reaches the operator as the usual "refunded" notice.
func (c *conv) refund(ctx context.Context, short string) error {
	chk, err := c.b.Checks.Lookup(ctx, *c.op, short)
	if err != nil {
		return c.storageOr(ctx, err, c.t.noSuchCheck)
	}
	id := check.ShortID(chk.ID)
	st, err := c.b.Checks.Refund(ctx, *c.op, chk.Ref())
	switch errs.CodeOf(err) {
	case "":
	case errs.Conflict:
		if st.Status == "" {
			st.Status = check.Open
		}
		return c.edit(ctx, sprintf(c.t.refundNotPaid, id, c.t.statusWord(st.Status)))
	case errs.Invalid:
		return c.edit(ctx, c.t.refundUnsupported)
	case errs.Forbidden:
		return c.edit(ctx, c.t.refundForbidden)
	case errs.Refused:
		// for good: answered (a 5xx would make the messenger press again
		// for an hour), and said, not retried
		return c.edit(ctx, sprintf(c.t.refundRefused, id, text.Clip(errs.MessageOf(err), 200)))
	default:
		return c.storageOr(ctx, err, c.t.noSuchCheck)
	}
	return c.edit(ctx, sprintf(c.t.refundDone, id, c.t.amount(chk.Amount)))
}

// refundKeep answers «Ні».
func (c *conv) refundKeep(ctx context.Context, short string) error {
	chk, err := c.b.Checks.Lookup(ctx, *c.op, short)
	if err != nil {
		return c.storageOr(ctx, err, c.t.noSuchCheck)
	}
	return c.edit(ctx, sprintf(c.t.refundKept, check.ShortID(chk.ID)))
}

// edit replaces the confirmation question (and its buttons) with text, and
// answers the button press. Failures only get logged: what happened has
// happened, and a redelivered press finds the same outcome.
func (c *conv) edit(ctx context.Context, text string) error {
	if err := c.send(ctx, Reply{Kind: Edit, Text: text}); err != nil {
		c.logSend(err)
	}
	if err := c.send(ctx, Reply{Kind: Answer}); err != nil {
		c.logSend(err)
	}
	return nil
}
