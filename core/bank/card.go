package bank

import "strings"

// systems are the card payment systems as banks name them (monobank's
// paymentInfo.paymentSystem, LiqPay's sender_card_type) and as a receipt
// shows them.
var systems = map[string]string{
	"visa":       "Visa",
	"mastercard": "Mastercard",
	"mc":         "Mastercard",
	"maestro":    "Maestro",
	"prostir":    "ПРОСТІР",
	"amex":       "American Express",
}

// Card is the paying card as a receipt shows it, from what a bank reports:
// its masked number (monobank "444403******1902", LiqPay "424242*42"; only
// the digits after the last mask character are kept) and its payment system
// ("visa"). It is "Visa •••• 1902", "•••• 1902" without a known system, the
// system's name alone without an ending, and "" when the bank said nothing
// usable. Nothing but the ending's digits leaves the mask: a receipt must not
// show more of a card than its last digits.
func Card(mask, system string) string {
	name := systems[strings.ToLower(strings.TrimSpace(system))]
	ending := ""
	if i := strings.LastIndexByte(mask, '*'); i >= 0 && i < len(mask)-1 {
		ending = mask[i+1:]
		if i = strings.IndexByte(mask, '*'); i < 0 || strings.Trim(mask[:i], "0123456789") != "" {
			ending = ""
		}
	}
	if len(ending) < 2 || len(ending) > 4 || strings.Trim(ending, "0123456789") != "" {
		ending = ""
	}
	switch {
	case ending == "":
		return name
	case name == "":
		return "•••• " + ending
	}
	return name + " •••• " + ending
}
