package bank

import "github.com/paylastic/edge/core/text"

// MaxReason bounds the failure reason a check's state keeps: banks send
// texts of any length, and the state is read on every page of the check.
const MaxReason = 200

// reasonsEN are English words for failure reasons that Ukrainian banks give
// in Ukrainian (monobank's failureReason, the sandbox's reason). Banks own
// these texts; the product only translates the ones it knows.
var reasonsEN = map[string]string{
	"Недостатньо коштів":          "Insufficient funds",
	"Операцію відхилено банком":   "Declined by the bank",
	"Неправильний CVV код":        "Wrong CVV code",
	"Перевищено ліміт за карткою": "Card limit exceeded",
	"Термін дії платежу минув":    "The payment has expired",
}

// Reason returns a bank's failure reason in lang ("uk" or "en"): as the bank
// gave it, or its English words when lang is "en" and they are known.
func Reason(text, lang string) string {
	if lang == "en" {
		if en, ok := reasonsEN[text]; ok {
			return en
		}
	}
	return text
}

// ClipReason is a bank's failure reason as a check's state keeps it: at
// most MaxReason characters, with "…" where it was cut.
func ClipReason(reason string) string { return text.Clip(reason, MaxReason) }
