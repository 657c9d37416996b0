package sandbox

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/paylastic/edge/core/bank"
	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/internal/testsupport"
)

// FuzzCallback: whatever arrives, Callback never panics, and nothing
// unsigned gets through.
func FuzzCallback(f *testing.F) {
	b := New(bank.Env{Signer: check.NewSigner("fuzz"), Now: func() time.Time { return testsupport.T0 }, Log: testsupport.Discard()})
	good := []byte(`{"event_id":"e","payment_id":"p","order_id":"o","status":"success","amount":1,"currency":"UAH","timestamp":1795687200}`)
	f.Add(good, Sign(b.hookKey, good))
	f.Add([]byte("{"), "00")
	f.Fuzz(func(t *testing.T, body []byte, sig string) {
		n, err := b.Callback(context.Background(), bank.Callback{Header: http.Header{SignatureHeader: {sig}}, Body: body})
		if err == nil && !strings.EqualFold(sig, Sign(b.hookKey, body)) { // hex is case-insensitive
			t.Fatalf("accepted a bad signature: %+v", n)
		}
	})
}

// FuzzOrder: a card page address that is not ours is refused, never a panic.
func FuzzOrder(f *testing.F) {
	b := New(bank.Env{Signer: check.NewSigner("fuzz"), Log: testsupport.Discard()})
	tok, _ := b.encodeOrder(order{Payment: "p", Amount: 1})
	f.Add(tok)
	f.Add("a.b")
	f.Fuzz(func(t *testing.T, s string) {
		if o, err := b.decodeOrder(s); err == nil && s != tok {
			t.Fatalf("accepted %q: %+v", s, o)
		}
	})
}

// FuzzReadCard: the card form's checks never panic, and what they accept
// is digits passing Luhn.
func FuzzReadCard(f *testing.F) {
	f.Add("4242 4242 4242 4242", "12/30", "123")
	f.Add("", "", "")
	f.Fuzz(func(t *testing.T, number, exp, cvv string) {
		c, p := readCard(number, exp, cvv, testsupport.T0)
		if p == "" && (!luhn(c.number) || len(c.last4()) != 4) {
			t.Fatalf("accepted %q", number)
		}
	})
}
