package viber

import (
	"testing"

	"github.com/paylastic/edge/core/bot/bottest"
	vbfake "github.com/paylastic/edge/fakes/viber"
	"github.com/paylastic/edge/internal/testsupport"
)

// BenchmarkCheckCallback is one operator's amount, from the signed callback
// to the QR picture (by URL: the bot draws no QR code for Viber) and its
// details sent and the check saved. The fake API answers on loopback, so
// the time includes two HTTP round trips; allocations are the bot's and the
// fake's. Compare core/telegram's BenchmarkCheckUpdate, which draws and
// uploads the QR code.
func BenchmarkCheckCallback(b *testing.B) {
	r := newRig(b)
	r.activate("uk")
	r.fake.MaxUnanswered = 0
	bottest.BenchAmounts(b, &r.now, func() { r.send(r.message("12,50", "uk"), 200) })
}

// BenchmarkSignature is the signature check of a typical callback.
func BenchmarkSignature(b *testing.B) {
	body := vbfake.MessageCallback(userID, "Оля", "uk", "12,50", firstToken, testsupport.T0, "")
	sig := vbfake.Sign(token, body)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if !Verify(token, body, sig) {
			b.Fatal("bad signature")
		}
	}
}
