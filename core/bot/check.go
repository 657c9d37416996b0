package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/checks"
	"github.com/paylastic/edge/core/money"
	"github.com/paylastic/edge/core/qr"
	"github.com/paylastic/edge/core/text"
)

// CancelPrefix starts the data of a check's cancel button; checks.Handle follows.
const CancelPrefix = "cancel:"

// check creates a check for the typed amount and sends its QR picture. The
// picture is sent before the check is saved: a send that fails leaves
// nothing behind, and a redelivered message finds the saved check and sends
// nothing (checks.Prepare derives the check from the message identity).
func (c *conv) check(ctx context.Context, typed string) error {
	// The amount is parsed once, here; the merchant's limit is checked by
	// Prepare, so a typo costs no read of the merchant.
	amount, err := money.Parse(typed, 0)
	if pe := (*money.ParseError)(nil); errors.As(err, &pe) {
		if pe.Reason != money.TooLarge {
			return c.say(ctx, c.badAmount(pe))
		}
		// over any amount at all: Prepare refuses it naming the
		// merchant's own limit
		amount = money.MaxAmount + 1
	} else if err != nil {
		return err
	}
	p, err := c.b.Checks.Prepare(ctx, checks.NewCheck{
		Operator: *c.op,
		Chat:     check.Chat{Messenger: c.ev.Messenger, ChatID: c.ev.ChatID, UserID: c.ev.UserID, Lang: c.ev.Lang},
		Amount:   amount,
		Identity: c.ev.Identity,
		At:       c.ev.At,
	})
	var pe *money.ParseError
	switch {
	case errors.As(err, &pe):
		return c.say(ctx, c.badAmount(pe))
	case errors.Is(err, checks.ErrStaleMessage):
		return c.say(ctx, c.t.staleAmount)
	case errors.Is(err, checks.ErrDisabled):
		return c.say(ctx, c.t.merchantDisabled)
	case errors.Is(err, checks.ErrNoBank):
		return c.say(ctx, c.t.noBank)
	case err != nil:
		return c.storageOr(ctx, err, c.t.merchantGone)
	case !p.Fresh:
		return nil // this message already made its check and its picture
	}
	link := check.PageURL(c.b.BaseURL, p.Token)
	var png []byte
	if !c.out.PicturesByURL() {
		if png, err = qr.PNG(link); err != nil {
			return fmt.Errorf("check %s: %w", p.Check.ID, err)
		}
	}
	chk := p.Check
	err = c.send(ctx, Reply{
		Kind:     Picture,
		Text:     sprintf(c.t.caption, c.t.amount(chk.Amount), p.Merchant.Name, check.ShortID(chk.ID), c.t.until(chk.Created, chk.Expires), link),
		Picture:  &Pic{PNG: png, URL: link + "/qr.png", Link: link},
		Keyboard: c.keyboard(),
		Inline: []Inline{
			{Text: c.t.cancelButton, Data: CancelPrefix + checks.Handle(chk.Ref())},
			// the share page (core/pay share.go), in the cashier's language
			{Text: c.t.shareButton, URL: link + "/share?lang=" + c.ev.Lang},
		},
	})
	if err != nil {
		return fmt.Errorf("check %s: %w", chk.ID, err)
	}
	if err := c.b.Checks.Save(ctx, chk); err != nil {
		return fmt.Errorf("check %s sent but not saved: %w", chk.ID, err)
	}
	return nil
}

func (c *conv) badAmount(pe *money.ParseError) string {
	switch pe.Reason {
	case money.Empty:
		return c.t.amountEmpty
	case money.Zero:
		return c.t.amountZero
	case money.Negative:
		return c.t.amountNegative
	case money.TooPrecise:
		return c.t.amountTooPrecise
	case money.TooLarge:
		return sprintf(c.t.amountTooLarge, c.t.amount(pe.Limit))
	}
	return sprintf(c.t.amountNotNumber, text.Clip(strings.TrimSpace(pe.Input), 40))
}
