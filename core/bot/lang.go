package bot

import (
	"context"

	"github.com/paylastic/edge/core/text"
)

// keepLang stores the event's language as the operator's (merchant.
// Operator.Lang), for the messages no event of theirs asks for: the daily
// report. Only when the messenger reported a language and it differs from
// the stored one (empty counts as Ukrainian, the default): one conditional
// write on activation in English or on a change, none per message. A
// failure is logged and the message handled all the same: the report falls
// back to the language stored before.
func (c *conv) keepLang(ctx context.Context) {
	if !c.langReported || c.op == nil || text.Lang(c.op.Lang) == c.ev.Lang {
		return
	}
	op, err := c.b.Merchants.SetLang(ctx, c.op.Messenger, c.op.UserID, c.ev.Lang)
	if err != nil {
		c.b.Log.Warn("operator language not stored", "messenger", c.op.Messenger, "err", err)
		return
	}
	c.op.Lang = op.Lang
}
