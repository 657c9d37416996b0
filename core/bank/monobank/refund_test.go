package monobank_test

import (
	"testing"

	"github.com/paylastic/edge/core/bank/banktest"
)

// TestRefundSettledLater: invoice/cancel answering "processing" is an
// accepted refund; invoice/status says success until the bank settles it,
// then reversed, stamped after the payment.
func TestRefundSettledLater(t *testing.T) { banktest.RefundSettledLater(t, newWorld(t).harness()) }
