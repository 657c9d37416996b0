package bot

import (
	"context"
	"strings"
	"unicode"

	"github.com/paylastic/edge/core/merchant"
)

func (c *conv) start(ctx context.Context) error {
	if p := strings.TrimSpace(c.ev.Text); p != "" && merchant.LooksLikeCode(p) {
		return c.activate(ctx, p) // a deep link t.me/bot?start=CODE
	}
	if c.op == nil {
		return c.say(ctx, c.t.greeting)
	}
	m, err := c.b.Merchants.Get(ctx, c.op.Merchant)
	if err != nil {
		return c.storageOr(ctx, err, c.t.merchantGone)
	}
	return c.say(ctx, sprintf(c.t.welcomeBack, c.t.role(c.op), c.t.quote(m.Name)))
}

func (c *conv) press(ctx context.Context, id ButtonID) error {
	if c.op == nil {
		return c.say(ctx, c.t.needCode)
	}
	switch id {
	case NewCheck:
		return c.say(ctx, c.t.askAmount)
	case MyChecks:
		return c.list(ctx)
	case ShopChecks, Staff, Report, Yesterday:
		if !c.op.IsOwner() {
			return c.say(ctx, c.t.ownersOnly)
		}
		switch id {
		case ShopChecks:
			return c.shopList(ctx)
		case Staff:
			return c.staff(ctx)
		case Report:
			return c.report(ctx, 0)
		}
		return c.report(ctx, -1)
	}
	return c.say(ctx, c.t.help)
}

// text sorts a message: command, button label, activation code, amount, or
// none of these (help).
func (c *conv) text(ctx context.Context) error {
	s := strings.TrimSpace(c.ev.Text)
	if strings.HasPrefix(s, "/") {
		return c.command(ctx, s)
	}
	if c.op != nil && isCallbackData(s) {
		// Viber has no inline buttons: their data comes back as text
		c.ev.Kind, c.ev.Data = Callback, s
		return c.callback(ctx)
	}
	if id, ok := ParseButton(s); ok {
		return c.press(ctx, id)
	}
	// An operator's all-digit text is an amount even when it is ten digits
	// long; a stranger's is a code attempt.
	if merchant.LooksLikeCode(s) && (c.op == nil || hasLetter(s)) {
		return c.activate(ctx, s)
	}
	if c.op == nil {
		return c.say(ctx, c.t.needCode)
	}
	if amountLike(s) {
		return c.check(ctx, s)
	}
	return c.say(ctx, c.t.help)
}

// command handles /start, /help, /new and /checks ("/cmd@botname args").
func (c *conv) command(ctx context.Context, s string) error {
	name, arg, _ := strings.Cut(s[1:], " ")
	name, _, _ = strings.Cut(name, "@")
	switch strings.ToLower(name) {
	case "start":
		c.ev.Text = arg
		return c.start(ctx)
	case "help":
		return c.press(ctx, Help)
	case "new":
		return c.press(ctx, NewCheck)
	case "checks", "list":
		return c.press(ctx, MyChecks)
	case "shop":
		return c.press(ctx, ShopChecks)
	case "staff", "cashiers":
		return c.press(ctx, Staff)
	case "report", "today":
		return c.press(ctx, Report)
	case "yesterday":
		return c.press(ctx, Yesterday)
	case "notices":
		if c.op != nil && c.op.IsOwner() {
			return c.ownerNotices(ctx, arg)
		}
	case "reporttime":
		if c.op != nil && c.op.IsOwner() {
			return c.reportTime(ctx, arg)
		}
	}
	if c.op == nil {
		return c.say(ctx, c.t.needCode)
	}
	return c.say(ctx, c.t.unknownCmd+"\n\n"+c.t.help)
}

// amountLike: anything with a digit, a minus or only a currency word is
// meant as an amount, and a bad one gets a precise answer; other text gets
// the help.
func amountLike(s string) bool {
	if s == "" {
		return true // a sticker, a photo: not text
	}
	for _, r := range s {
		if unicode.IsDigit(r) || r == '-' || r == '−' || r == '₴' {
			return true
		}
	}
	switch strings.TrimRight(strings.ToLower(s), ".") {
	case "грн", "uah", "hrn", "гривень", "гривні", "гривня":
		return true
	}
	return false
}

func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}
