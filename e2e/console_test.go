package e2e

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/paylastic/edge/internal/testsupport"
	"github.com/paylastic/edge/wasm/hosttest"
)

// TestConsoleViber: the console's switch to Viber plays the same operator
// over the Viber webhook: a demo merchant, an amount, the QR picture (which
// Viber fetches by URL) decoding to the link, the payment, and the paid
// notice in the Viber chat only.
func TestConsoleViber(t *testing.T) {
	e := hosttest.Start(t, hosttest.Options{Console: true})
	link, photo := newConsoleCheck(t, e, "viber", "12,50")
	if !strings.HasPrefix(photo, link) {
		t.Errorf("the picture is %s, want the link's QR %s/qr.png", photo, link)
	}
	resp, err := http.Get(photo)
	if err != nil {
		t.Fatal(err)
	}
	png, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if got := decodeQR(t, png); got != link {
		t.Errorf("the QR reads %q, want the link %q", got, link)
	}

	b := testsupport.NewBuyer(t, "")
	res := b.Submit(b.Submit(b.Get(link), nil), sandboxCard(sbCardPaid))
	wantSays(t, res, "Оплату прийнято", "12,50 грн")

	told := 0
	for _, m := range consoleChat(t, e, "viber") {
		if m.From == "bot" && strings.Contains(m.Text, "✅ Оплачено: чек") {
			told++
		}
	}
	if told != 1 {
		t.Errorf("the Viber chat has %d paid notices, want 1: %+v", told, consoleChat(t, e, "viber"))
	}
	for _, m := range consoleChat(t, e, "telegram") {
		if strings.Contains(m.Text, "Оплачено") {
			t.Errorf("the Telegram chat got the Viber check's notice: %q", m.Text)
		}
	}
}
