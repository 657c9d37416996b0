package bank_test

import (
	"testing"

	"github.com/paylastic/edge/core/bank"
)

func TestCard(t *testing.T) {
	tests := []struct{ mask, system, want string }{
		{"444403******1902", "visa", "Visa •••• 1902"},             // monobank's docs' example
		{"537541******2332", "mastercard", "Mastercard •••• 2332"}, // monobank
		{"424242*42", "visa", "Visa •••• 42"},                      // LiqPay's sender_card_mask2
		{"516875*15", "mc", "Mastercard •••• 15"},                  // LiqPay names Mastercard "mc"
		{"444403******1902", "", "•••• 1902"},
		{"444403******1902", "unknown-system", "•••• 1902"},
		{"", "visa", "Visa"},
		{"", "", ""},
		{"4444031234561902", "visa", "Visa"},     // not masked: shown not at all
		{"444403******", "visa", "Visa"},         // no ending
		{"444403******19021902", "visa", "Visa"}, // an ending too long to be one
		{"<b>4*</b>42", "visa", "Visa"},          // not a mask
		{"444403******19a2", "", ""},             // letters in the ending
		{"4444 03** **** 1902", "VISA", "Visa"},  // spaces: not a form a bank sends
	}
	for _, tt := range tests {
		if got := bank.Card(tt.mask, tt.system); got != tt.want {
			t.Errorf("Card(%q, %q) = %q, want %q", tt.mask, tt.system, got, tt.want)
		}
	}
}
