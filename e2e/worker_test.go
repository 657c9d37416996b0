package e2e

import (
	"bytes"
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/paylastic/edge/core/checks"
)

// The same scenarios on the harness and on the Worker in workerd
// (worker_target_test.go). make worker-test runs them with
// PAYLASTIC_WORKER_TEST=1; otherwise the wrangler half skips.

// TestWorkerOperatorWalk: activation, «Створити чек», an amount, and a QR
// picture uploaded (multipart, through the platform's outbound HTTP: syumai's
// fetch on the Worker) that reads as the link in its caption; the link's
// payment page and QR image.
func TestWorkerOperatorWalk(t *testing.T) {
	runOnTargets(t, func(t *testing.T, tg *target) {
		op := tg.operator(t, 4242, "uk")
		op.activate("Кавʼярня Ранок")
		if m := op.say("Створити чек"); len(m) != 1 || !strings.Contains(m[0].Plain, "Введіть суму") {
			t.Fatalf("button answered %+v", m)
		}
		link, pic := op.check("12,50")
		if !strings.Contains(pic.Caption, "Чек на 12,50 грн") {
			t.Errorf("caption %q", pic.Caption)
		}
		var upload []byte
		for _, c := range op.fake.Calls() {
			if c.Method == "sendPhoto" && c.OK() && len(c.Files) == 1 && c.Files[0].Field == "photo" {
				upload = c.Files[0].Data
			}
		}
		png, ok := op.fake.Photo(pic.Photo)
		if !ok || pic.PhotoURL != "" || upload == nil || !bytes.Equal(png, upload) {
			t.Fatalf("the QR was not uploaded as a multipart file (photo_url %q, %d calls)", pic.PhotoURL, len(op.fake.Calls()))
		}
		if got := decodeQR(t, png); got != link {
			t.Errorf("QR reads %q, caption links %q", got, link)
		}
		b := tg.shopper(t)
		pg := b.Get(link)
		if pg.Status != 200 {
			t.Fatalf("payment page %d", pg.Status)
		}
		wantSays(t, pg, "12,50 грн", "Кавʼярня Ранок", ">Оплатити<")
		if qr := b.Get(link + "/qr.png"); qr.Status != 200 || qr.Header.Get("Content-Type") != "image/png" || decodeQR(t, []byte(qr.Body)) != link {
			t.Errorf("qr.png = %d %s", qr.Status, qr.Header.Get("Content-Type"))
		}
	})
}

// TestWorkerBuyerPays: a declined card, then the same link paid at the
// sandbox bank. Each time the bank's signed callback reaches the product
// (through the platform's outbound HTTP and the front), is verified and
// applied, and the operator is told once. Replays change nothing; a forged
// callback is refused.
func TestWorkerBuyerPays(t *testing.T) {
	runOnTargets(t, func(t *testing.T, tg *target) {
		op := tg.operator(t, 5151, "uk")
		op.activate("Кавʼярня «Ранок»")
		link, _ := op.check("12,50")
		b := tg.shopper(t)

		bankPage := b.Submit(b.Get(link), nil)
		if !strings.Contains(bankPage.URL, "/sandbox/pay/") {
			t.Fatalf("«Оплатити» led to %s, want the sandbox bank", bankPage.URL)
		}
		wantSays(t, bankPage, "Хочу оплатити", "12,50 грн")
		res := b.Submit(bankPage, sandboxCard(sbCardDeclined))
		wantSays(t, res, "Оплата не вдалася", "Недостатньо коштів")
		op.wantTold("Недостатньо коштів")

		res = b.Submit(b.Submit(res, nil), sandboxCard(sbCardPaid))
		wantSays(t, res, "Оплату прийнято", "12,50 грн")
		op.wantTold("Недостатньо коштів", "Оплачено")

		cbs := tg.front.requests("/bank/sandbox/callback")
		if len(cbs) != 2 {
			t.Fatalf("the product received %d sandbox callbacks, want 2", len(cbs))
		}
		paid := cbs[1]
		keys := tg.keys(t, "")
		for i := 0; i < 2; i++ {
			if st, body := tg.call(t, "POST", "/bank/sandbox/callback", paid.Header, paid.Body); st != 200 {
				t.Errorf("replay = %d %s, want 200", st, body)
			}
		}
		forged := bytes.Replace(cbs[0].Body, []byte(`"failure"`), []byte(`"success"`), 1)
		if st, _ := tg.call(t, "POST", "/bank/sandbox/callback", cbs[0].Header, forged); st != 401 {
			t.Errorf("forged callback = %d, want 401", st)
		}
		if got := tg.keys(t, ""); !slices.Equal(got, keys) {
			t.Errorf("replays changed KV keys: %d → %d", len(keys), len(got))
		}
		wantSays(t, b.Get(link), "Чек оплачено")
		op.wantTold("Недостатньо коштів", "Оплачено")
	})
}

// TestWorkerLostCallback: the bank's callback is lost; the cron pass, once
// the attempt is old enough, asks the bank and tells the operator, once.
func TestWorkerLostCallback(t *testing.T) {
	runOnTargets(t, func(t *testing.T, tg *target) {
		op := tg.operator(t, 6161, "uk")
		op.activate("Shop")
		defer tg.front.dropPath("/bank/sandbox/callback")()
		link, _ := op.check("12,50")
		b := tg.shopper(t).StopAtRedirects()
		toBank := b.Submit(b.Get(link), nil)
		if toBank.Status != http.StatusSeeOther {
			t.Fatalf("«Оплатити» = %d, want 303", toBank.Status)
		}
		if p := b.Submit(b.Get(toBank.Header.Get("Location")), sandboxCard(sbCardPaid)); p.Status != http.StatusSeeOther {
			t.Fatalf("card form = %d, want 303", p.Status)
		}
		if cbs := tg.front.requests("/bank/sandbox/callback"); len(cbs) != 1 || !cbs[0].Dropped {
			t.Fatalf("callbacks %+v, want one, dropped", cbs)
		}
		op.wantTold()
		needScheduledWiring(t)
		tg.later(checks.ReconcileAfter + time.Second)
		if err := tg.cron(context.Background()); err != nil {
			t.Fatalf("cron pass: %v", err)
		}
		op.wantTold("Оплачено")
		tg.later(5 * time.Minute)
		if err := tg.cron(context.Background()); err != nil {
			t.Fatalf("cron pass: %v", err)
		}
		op.wantTold("Оплачено")
	})
}

// TestWorkerStorageDown: with every KV operation failing, a Telegram update
// that must write the invoice answers 5xx (the sender retries), writes
// nothing to KV and sends nothing; once KV is back the retry succeeds. The
// admin API keeps merchants in the consistent store: it works on.
func TestWorkerStorageDown(t *testing.T) {
	runOnTargets(t, func(t *testing.T, tg *target) {
		op := tg.operator(t, 7171, "uk")
		op.activate("Shop")
		keys := tg.keys(t, "")
		upd := op.message("12,50")

		tg.kvFail(true)
		st, body := tg.admin(t, "POST", "/admin/merchants", `{"name":"Shop"}`)
		stUpd := op.deliver(upd)
		tg.kvFail(false)

		if st != 201 {
			t.Errorf("create merchant with KV down = %d %s; want 201 (merchants are not in KV)", st, body)
		}
		if stUpd < 500 {
			t.Errorf("Telegram update with KV down = %d, want 5xx", stUpd)
		}
		if got := tg.keys(t, ""); !slices.Equal(got, keys) {
			t.Errorf("KV keys changed while KV was down: %d → %d", len(keys), len(got))
		}
		if n := op.okCalls("sendPhoto"); n != 0 {
			t.Errorf("%d pictures sent while KV was down", n)
		}
		if st := op.deliver(upd); st != 200 || op.okCalls("sendPhoto") != 1 {
			t.Errorf("redelivered update = %d with %d pictures; want 200 and one", st, op.okCalls("sendPhoto"))
		}
	})
}

// TestWorkerMissingKeys: a merchant, a check or an activation code that KV
// does not have is a 404 or a polite answer, not an error.
func TestWorkerMissingKeys(t *testing.T) {
	runOnTargets(t, func(t *testing.T, tg *target) {
		if st, body := tg.admin(t, "GET", "/admin/merchants/aaaaaaaaaaaaa", ""); st != 404 {
			t.Errorf("unknown merchant = %d %s, want 404", st, body)
		}
		if pg := tg.shopper(t).Get(tg.URL + "/p/AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"); pg.Status != 404 {
			t.Errorf("made-up payment link = %d, want 404", pg.Status)
		}
		op := tg.operator(t, 8181, "uk")
		if m := op.say("ABCD-EFGH-JK"); len(m) != 1 || m[0].Plain == "" {
			t.Errorf("unknown activation code answered %+v, want one polite reply", m)
		}
	})
}

// TestWorkerTelegramDown: the Bot API is unreachable (a fetch error on the
// Worker): the amount update answers 5xx and stores nothing; Telegram's
// redelivery, once the API is back, creates exactly one check.
func TestWorkerTelegramDown(t *testing.T) {
	runOnTargets(t, func(t *testing.T, tg *target) {
		op := tg.operator(t, 9191, "en")
		op.activate("Shop")
		checksBefore := tg.keys(t, "i:")
		upd := op.message("99")

		tg.outbound.SetDown("telegram", true)
		st := op.deliver(upd)
		tg.outbound.SetDown("telegram", false)
		if st < 500 {
			t.Fatalf("update with Telegram down = %d, want 5xx", st)
		}
		if got := tg.keys(t, "i:"); len(got) != len(checksBefore) {
			t.Fatalf("a check was stored although its picture was not sent: %v", got)
		}
		if st := op.deliver(upd); st != 200 {
			t.Fatalf("redelivery = %d, want 200", st)
		}
		if st := op.deliver(upd); st != 200 {
			t.Fatalf("second redelivery = %d, want 200", st)
		}
		if n := op.okCalls("sendPhoto"); n != 1 {
			t.Errorf("pictures sent = %d, want 1", n)
		}
		if got := tg.keys(t, "i:"); len(got) != len(checksBefore)+1 {
			t.Errorf("checks %d → %d, want one more", len(checksBefore), len(got))
		}
	})
}
