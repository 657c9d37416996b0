package bot

import (
	"context"
	"strings"

	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/kyiv"
	"github.com/paylastic/edge/core/merchant"
)

// Data of the staff buttons under «Касири». A removal is asked first and
// done on the confirmation, like a refund: a slip of the finger removes
// nobody. The operator is named by merchant.OperatorID, short and not the
// raw messenger id.
const (
	StaffAddData         = "staff:add"
	StaffRemovePrefix    = "staffrm:"
	StaffRemoveYesPrefix = "staffrmok:"
)

// isCallbackData reports whether s is the data of one of the bot's inline
// buttons (on Viber they come back as text).
func isCallbackData(s string) bool {
	for _, p := range []string{CancelPrefix, RefundPrefix, RefundYesPrefix, RefundNoPrefix, StaffAddData, StaffRemovePrefix, StaffRemoveYesPrefix} {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// staff lists the shop's cashiers with a button to add one and one to
// remove each.
func (c *conv) staff(ctx context.Context) error {
	ops, err := c.b.Merchants.Operators(ctx, c.op.Merchant)
	if err != nil {
		return c.fail(ctx, err)
	}
	var b strings.Builder
	inline := []Inline{{Text: c.t.staffAdd, Data: StaffAddData}}
	n := 0
	for _, op := range ops {
		if op.IsOwner() {
			continue
		}
		n++
		b.WriteString("\n" + sprintf(c.t.staffLine, n, operatorName(op), c.t.clock(op.Activated)+" "+kyiv.In(op.Activated).Format("02.01")))
		inline = append(inline, Inline{Text: sprintf(c.t.staffRemove, operatorName(op)), Data: StaffRemovePrefix + op.ID(c.b.Merchants.Secret)})
	}
	text := c.t.staffNone
	if n > 0 {
		text = c.t.staffHeader + b.String()
	}
	return c.send(ctx, Reply{Kind: Message, Text: text, Keyboard: c.keyboard(), Inline: inline})
}

// staffAdd answers with a new one-time cashier code, under the same rules
// as the admin's codes (merchant.IssueCode).
func (c *conv) staffAdd(ctx context.Context, _ string) error {
	if !c.op.IsOwner() {
		return c.send(ctx, Reply{Kind: Answer, Text: c.t.ownersOnly})
	}
	code, expires, err := c.b.Merchants.IssueCode(ctx, c.op.Merchant, merchant.Cashier)
	if err != nil {
		return c.fail(ctx, err)
	}
	if err := c.send(ctx, Reply{Kind: Message, Text: sprintf(c.t.staffCode, code, c.t.clock(expires)+" "+kyiv.In(expires).Format("02.01"))}); err != nil {
		return err
	}
	if err := c.send(ctx, Reply{Kind: Answer}); err != nil {
		c.logSend(err)
	}
	return nil
}

// staffRemoveAsk asks the owner to confirm removing a cashier.
func (c *conv) staffRemoveAsk(ctx context.Context, id string) error {
	op, err := c.staffMember(ctx, id)
	if err != nil {
		return c.storageOr(ctx, err, c.t.staffGone)
	}
	if err := c.send(ctx, Reply{Kind: Message, Text: sprintf(c.t.staffRemoveAsk, operatorName(op)), Inline: []Inline{
		{Text: c.t.staffRemoveYes, Data: StaffRemoveYesPrefix + id},
	}}); err != nil {
		return err
	}
	if err := c.send(ctx, Reply{Kind: Answer}); err != nil {
		c.logSend(err)
	}
	return nil
}

// staffRemove removes the cashier: their next message is told so, and
// their open checks stay payable (merchant.Store.Remove).
func (c *conv) staffRemove(ctx context.Context, id string) error {
	op, err := c.staffMember(ctx, id)
	if err != nil {
		return c.storageOr(ctx, err, c.t.staffGone)
	}
	if _, err := c.b.Merchants.Remove(ctx, c.op.Merchant, op.Messenger, op.UserID); err != nil {
		return c.storageOr(ctx, err, c.t.staffGone)
	}
	return c.edit(ctx, sprintf(c.t.staffRemoved, operatorName(op)))
}

// staffMember is the shop's cashier with OperatorID id. Owners are not
// removed from the bot (the admin does that), so a shop always keeps one.
func (c *conv) staffMember(ctx context.Context, id string) (merchant.Operator, error) {
	if !c.op.IsOwner() {
		return merchant.Operator{}, errs.E(errs.NotFound, "not an owner")
	}
	op, err := c.b.Merchants.OperatorByID(ctx, c.op.Merchant, id)
	if err == nil && op.IsOwner() {
		return merchant.Operator{}, errs.E(errs.NotFound, "owners are removed by the admin")
	}
	return op, err
}

// operatorName is how the bot names an operator to their owner.
func operatorName(op merchant.Operator) string {
	if n := strings.TrimSpace(op.Name); n != "" {
		return n
	}
	return op.Messenger + " " + op.UserID
}
