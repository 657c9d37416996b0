package bot

// en is the English catalog, for users whose Telegram language is English.
var en = catalog{
	lang:    "en",
	buttons: [numButtons]string{"New check", "My checks", "Help", "Shop checks", "Cashiers", "Today's report", "Yesterday's report"},

	greeting: "Hello! This is PayLastic: card payments by link and QR code.\n\n" +
		"To begin, send the activation code your administrator gave you (it looks like ABCD-EFGH-JK).",
	needCode: "First send the activation code your administrator gave you (it looks like ABCD-EFGH-JK).",
	welcomeBack: "You are %s of %s.\n\n" +
		"Tap “New check” or just send an amount, e.g. 12.50.",
	activated: "Done! You are now %s of %s.\n\n" +
		"To take a payment, tap “New check” or just send an amount, e.g. 12.50.",
	roleWords: [2]string{"an owner", "a cashier"},
	wrongCode: "This code does not work: it is wrong, already used or expired. " +
		"Check it and send it again.",
	throttled: "Too many failed attempts. Try again in %d min.",
	askAmount: "Enter the amount in hryvnias, e.g. 12.50 or 1 200.",
	help: "How to take a payment:\n" +
		"1. Send the amount, e.g. 12.50 (or tap “New check”).\n" +
		"2. Show the buyer the QR code: they pay by card on their own phone.\n" +
		"3. I will tell you here when the payment goes through.\n\n" +
		"“My checks” shows today's checks. You can cancel a check with the button under its QR code until it is paid.\n\n" +
		"Never type the buyer's card details on your phone.",
	unknownCmd: "I do not know that command.",

	amountEmpty:      "Send the amount as a number, e.g. 12.50.",
	amountNotNumber:  "“%s” does not look like an amount. Send a number, e.g. 12.50 or 1 200.",
	amountZero:       "The amount must be more than zero.",
	amountNegative:   "The amount cannot be negative.",
	amountTooPrecise: "Too many digits after the point: there are only two for kopiykas, e.g. 12.50.",
	amountTooLarge:   "That is over the limit for one check: %s.",
	merchantGone:     "Your shop was not found. Please contact your administrator.",
	tryLater:         "Temporary error. Please try again in a minute.",

	caption: "Check for %s\n%s\nCheck %s, valid until %s (Kyiv time)\n\n" +
		"The buyer scans the QR code with their own phone or opens the link:\n%s",
	cancelButton: "Cancel",
	shareButton:  "Send to buyer",
	cancelled:    "Check %s for %s is cancelled. The link no longer takes payments.",
	cancelledAck: "Check cancelled",
	notOpen:      "Check %s is already %s: it cannot be cancelled.",
	noSuchCheck:  "Check not found.",
	staleButton:  "This button no longer works.",
	staleAmount:  "Your amount arrived too late, so no check was created. Please send the amount again.",

	refundButton:    "Refund",
	refundAsk:       "Refund %s for check %s to the buyer's card?",
	refundYes:       "Yes, refund",
	refundNo:        "No",
	refundDone:      "The refund for check %s of %s went to the bank.",
	refundKept:      "OK, check %s is not refunded.",
	refundNotPaid:   "Check %s is %s: it cannot be refunded.",
	refundForbidden: "Refunds are made by the shop owner. Please ask them: they have this button under the payment notice.",
	removed:         "You are no longer a cashier of %s. If this is a mistake, ask the owner for a new code.",
	ownersOnly:      "Only the shop owner can do this.",

	staffHeader:    "The shop's cashiers:",
	staffLine:      "%d. %s, since %s",
	staffNone:      "No cashiers yet. Tap “Add a cashier”: I will give you a one-time code for the cashier to send me.",
	staffAdd:       "➕ Add a cashier",
	staffRemove:    "Remove: %s",
	staffCode:      "Code for a new cashier: %s\nValid until %s, once. The cashier sends it to this bot.",
	staffRemoveAsk: "Remove the cashier %s? Their open checks stay payable, but they will make no new ones.",
	staffRemoveYes: "Yes, remove",
	staffRemoved:   "The cashier %s is removed.",
	staffGone:      "This cashier is no longer here.",

	shopHeader:  "The shop's checks today, %s:",
	shopEmpty:   "No checks in the shop yet today, %s.",
	shopLine:    "%s  %s  check %s  %s  (%s)",
	shopCashier: "%s: %s (%d of %d)",
	shopTotal:   "Paid in all: %s (%d of %d)",

	reportTitle:       "📊 Report of %s for %s",
	reportEmpty:       "%s had no checks on %s.",
	reportPaid:        "Paid: %d for %s",
	reportRefunded:    "Refunded: %d for %s",
	reportFailed:      "With a failed payment: %d",
	reportExpired:     "Expired: %d",
	reportCashiers:    "By cashier:",
	reportCashier:     "%s: %d for %s",
	reportCompare:     "A week ago (%s): %d for %s, %+d%%",
	reportNoBase:      "A week ago (%s) nothing was paid.",
	reportTimeSet:     "The daily report will come at %s Kyiv time.",
	reportTimeOff:     "The daily report is off. To turn it on: /reporttime 21:00",
	reportTimeBad:     "Give the time like this: /reporttime 21:00 (or /reporttime off to turn it off).",
	noticeBy:          "Cashier: %s",
	noticesAll:        "You will now get the notices of every check of the shop. Only yours: /notices mine",
	noticesMine:       "You will now get the notices of your own checks only. Of every check: /notices all",
	noticesBad:        "Send /notices all (every check of the shop) or /notices mine (yours only).",
	refundUnsupported: "This shop's bank does not allow refunds from the bot. Please contact the administrator.",

	listHeader: "Today's checks, %s:",
	listEmpty:  "No checks yet today, %s.",
	listLine:   "%s  %s  check %s  %s",
	listMore:   "…and %d more",
	listTotal:  "Paid today: %s (%d of %d)",
	listCapped: "The total covers the last %d checks.",

	status: [5]string{"awaiting payment", "paid", "expired", "cancelled", "refunded"},

	noticePaid:     "✅ Paid: check %s for %s, at %s.",
	noticeFailed:   "⚠️ Payment failed at %s: check %s for %s.\nBank: %s.\nThe check can still be paid with another card.",
	noReason:       "no reason given",
	noticeExpired:  "⌛ Time is up: check %s for %s was not paid.",
	noticeRefunded: "↩️ Refund: check %s for %s, at %s.",
	noticePaidTwice: "⚠️ Check %s for %s was paid again at %s: the buyer paid twice. " +
		"Refund the extra payment with the button below.",
	noticeUnknown:     "Check %s for %s: %s.",
	testPayment:       "🧪 Test payment (sandbox): no real money was taken; do not hand over goods for it.",
	testMark:          "🧪 test",
	noticeBankRefused: "⚠️ Check %s for %s: the bank refused card payments for the shop (%s). The buyer cannot pay this check. Please contact your administrator: the bank settings must be fixed.",
	refundRefused:     "The bank refused the refund of check %s (%s). No money was returned. Please contact your administrator: the bank settings must be fixed.",
	merchantDisabled:  "Your shop was disabled by the administrator: no new checks can be created now. Please contact your administrator.",
	noBank:            "Card payments are not set up for your shop yet, so no check was created. Please ask your administrator to connect a bank (monobank or LiqPay).",

	quotes: [2]string{"“", "”"},

	dateLayout: "Jan 2, 2006",
	timeLayout: "15:04",
	dayLayout:  "Jan 2",
}
