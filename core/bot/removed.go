package bot

import (
	"context"
	"strings"

	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/merchant"
)

// removed answers a user whose owner (or the admin) removed them: a new
// activation code binds them again, anything else is told which shop let
// them go, so they do not keep typing amounts that make nothing. Their
// checks are untouched: the open ones stay payable.
func (c *conv) removed(ctx context.Context, was merchant.Operator) error {
	if code := c.codeTyped(); code != "" {
		return c.activate(ctx, code)
	}
	name := was.Merchant
	if m, err := c.b.Merchants.Get(ctx, was.Merchant); err == nil {
		name = m.Name
	} else if errs.CodeOf(err) != errs.NotFound {
		return c.fail(ctx, err)
	}
	if c.ev.Kind == Callback {
		return c.send(ctx, Reply{Kind: Answer, Text: sprintf(c.t.removed, c.t.quote(name))})
	}
	return c.say(ctx, sprintf(c.t.removed, c.t.quote(name)))
}

// codeTyped is the activation code the event carries, if any: a text that
// looks like one, or a /start payload.
func (c *conv) codeTyped() string {
	s := strings.TrimSpace(c.ev.Text)
	switch c.ev.Kind {
	case Start:
	case Text:
		if _, arg, ok := strings.Cut(s, " "); ok && strings.HasPrefix(strings.ToLower(s), "/start") {
			s = strings.TrimSpace(arg)
		}
	default:
		return ""
	}
	if merchant.LooksLikeCode(s) {
		return s
	}
	return ""
}
