package telegram

import (
	"testing"

	"github.com/paylastic/edge/core/bot/bottest"
)

// BenchmarkCheckUpdate is one operator's amount, from the webhook request to
// the QR sent and the check saved, on a fresh handler as each Worker request
// has (the telego bot is built anew). The fake Bot API answers on loopback,
// so the time includes its HTTP round trip; allocations are the bot's and
// the fake's.
func BenchmarkCheckUpdate(b *testing.B) {
	r := newRig(b)
	r.activate("uk")
	bottest.BenchAmounts(b, &r.now, func() { r.send(r.message("12,50", "uk"), 200) })
}

// BenchmarkBadAmount is a refused amount: one read, one sendMessage.
func BenchmarkBadAmount(b *testing.B) {
	r := newRig(b)
	r.activate("uk")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r.send(r.message("12.345", "uk"), 200)
	}
}
