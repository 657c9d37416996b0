package liqpay_test

import (
	"testing"

	"github.com/paylastic/edge/core/bank/banktest"
)

// TestRefundSettledLater: a refund answered with a status that is not final
// yet (processing) is accepted; action=status says success until LiqPay
// settles it, then reversed.
func TestRefundSettledLater(t *testing.T) { banktest.RefundSettledLater(t, newWorld(t).harness()) }
