package bot

import (
	"strings"

	"github.com/paylastic/edge/core/merchant"
	"github.com/paylastic/edge/core/text"
)

// ButtonID names a button of the main keyboard, whatever its label.
type ButtonID int

const (
	NewCheck ButtonID = iota // «Створити чек»: asks for the amount
	MyChecks                 // «Мої чеки»: today's checks
	Help                     // «Допомога»
	// The owner's buttons (OwnerKeyboard).
	ShopChecks // «Чеки магазину»: today's checks of every operator, totals per cashier
	Staff      // «Касири»: add, list and remove cashiers
	Report     // «Звіт за сьогодні»
	Yesterday  // the report of yesterday (under today's report)
	numButtons
)

// String is the button's stable id, usable as a messenger's action payload
// (Viber's ActionBody): "new", "list", "help".
func (id ButtonID) String() string {
	switch id {
	case NewCheck:
		return "new"
	case MyChecks:
		return "list"
	case Help:
		return "help"
	case ShopChecks:
		return "shop"
	case Staff:
		return "staff"
	case Report:
		return "report"
	case Yesterday:
		return "yesterday"
	}
	return "?"
}

// Button is a main-keyboard button with its label in one language.
type Button struct {
	ID   ButtonID
	Text string
}

// MainKeyboard is the operator's keyboard in lang ("uk" or "en"), in rows of
// display order: the first button alone, then the other two.
func MainKeyboard(lang string) []Button {
	t := catalogFor(text.Lang(lang))
	return []Button{{NewCheck, t.buttons[NewCheck]}, {MyChecks, t.buttons[MyChecks]}, {Help, t.buttons[Help]}}
}

// OwnerKeyboard is an owner's keyboard in lang: «Створити чек» alone, then
// the shop's checks (their own among them), staff, the report and help.
func OwnerKeyboard(lang string) []Button {
	t := catalogFor(text.Lang(lang))
	return []Button{{NewCheck, t.buttons[NewCheck]}, {ShopChecks, t.buttons[ShopChecks]}, {Staff, t.buttons[Staff]}, {Report, t.buttons[Report]}, {Help, t.buttons[Help]}}
}

// KeyboardOf is op's keyboard in lang: the owner's or the cashier's. It is
// the one place that decides: every reply to an operator carries it
// (conv.send, the notices, the report), for Viber, which shows the last
// message's keyboard only.
func KeyboardOf(op merchant.Operator, lang string) []Button {
	if op.IsOwner() {
		return OwnerKeyboard(lang)
	}
	return MainKeyboard(lang)
}

// keyboard is the keyboard of c's operator.
func (c *conv) keyboard() []Button {
	if c.op == nil {
		return MainKeyboard(c.ev.Lang)
	}
	return KeyboardOf(*c.op, c.ev.Lang)
}

// ParseButton recognises a main-keyboard label in any language (an operator
// may switch the app's language while the old keyboard is still shown) or a
// button id as String prints it.
func ParseButton(s string) (ButtonID, bool) {
	s = strings.TrimSpace(s)
	for id := ButtonID(0); id < numButtons; id++ {
		if strings.EqualFold(s, uk.buttons[id]) || strings.EqualFold(s, en.buttons[id]) || s == id.String() {
			return id, true
		}
	}
	return 0, false
}
