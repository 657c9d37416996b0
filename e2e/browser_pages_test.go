package e2e

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/paylastic/edge/internal/testsupport"
	"github.com/paylastic/edge/wasm/devconsole"
	"github.com/paylastic/edge/wasm/hosttest"
)

// TestBrowserPages opens every page a buyer can meet, in every state, at
// 1280×800, 375×740 and 320×640: axe-core finds no serious or critical
// violation at the two main widths, no page scrolls sideways, every tap
// target is at least 44×44 px, our pages (not the sandbox bank's) have a
// main landmark and one h1, and «Оплатити» (on a fresh check, and to pay
// again after a declined card) is above the fold even at 320×640. Screenshots of what each viewport shows go to screenshots/.
func TestBrowserPages(t *testing.T) {
	src := axeSource(t)
	ctx := browser(t)
	e := hosttest.Start(t, hosttest.Options{Console: true})
	rep := newAxeReport(t, "axe-pages.txt")
	buyer := func() *buyer {
		return testsupport.NewBuyer(t, "")
	}

	open := newCheckLink(t, e, "12,50")
	started := newCheckLink(t, e, "12,50") // the browser starts paying it, at each screen
	declined := newCheckLink(t, e, "12,50")
	b := buyer()
	wantSays(t, b.Submit(b.Submit(b.Get(declined), nil), sandboxCard(sbCardDeclined)), "Оплата не вдалася")
	paid := newCheckLink(t, e, "12,50")
	b = buyer()
	wantSays(t, b.Submit(b.Submit(b.Get(paid), nil), sandboxCard(sbCardPaid)), "Оплату прийнято")
	cancelled := newCheckLink(t, e, "12,50")
	consolePress(t, e, "telegram", cancelled, "cancel:")
	refunded := newCheckLink(t, e, "12,50")
	b = buyer()
	wantSays(t, b.Submit(b.Submit(b.Get(refunded), nil), sandboxCard(sbCardPaid)), "Оплату прийнято")
	consolePress(t, e, "telegram", refunded, "refund:")
	consolePress(t, e, "telegram", refunded, "refundok:")
	wantSays(t, buyer().Get(refunded), "повернено")
	expiring := newCheckLink(t, e, "12,50")

	type page struct {
		name, url string
		ours      bool   // our page (not the sandbox bank's): a main landmark and an h1
		fold      string // an element that must be above the fold at every size
		do        chromedp.Action
	}
	var pages []page
	add := func(name, url string, ours bool, fold string) {
		pages = append(pages, page{name: name, url: url, ours: ours, fold: fold})
	}
	add("pay-open.uk", open, true, "form button[type=submit]")
	add("pay-open.en", open+"?lang=en", true, "form button[type=submit]")
	pages = append(pages,
		page{name: "sandbox-card.uk", url: started, do: toSandbox()},
		page{name: "sandbox-card.en", url: started + "?lang=en", do: toSandbox()},
		page{name: "sandbox-card-error.uk", url: started, do: chromedp.Tasks{toSandbox(),
			chromedp.SendKeys(`#card`, "1234", chromedp.ByQuery), chromedp.SendKeys(`#exp`, "12/30", chromedp.ByQuery),
			chromedp.SendKeys(`#cvv`, "123", chromedp.ByQuery), chromedp.Click(`form button[type=submit]`, chromedp.ByQuery),
			chromedp.WaitVisible(`.err`, chromedp.ByQuery)}},
	)
	add("pay-pending.uk", started, true, "form button[type=submit]")
	add("result-pending.uk", started+"/result", true, "")
	add("result-failed.uk", declined+"/result", true, "form button[type=submit]")
	add("result-failed.en", declined+"/result?lang=en", true, "form button[type=submit]")
	add("pay-failed.uk", declined, true, "form button[type=submit]")
	add("result-paid.uk", paid+"/result", true, "")
	add("result-paid.en", paid+"/result?lang=en", true, "")
	add("pay-paid.uk", paid, true, "")
	add("pay-cancelled.uk", cancelled, true, "")
	add("result-cancelled.uk", cancelled+"/result", true, "")
	add("pay-refunded.uk", refunded, true, "")
	add("notfound-route.uk", e.URL+"/nope", true, "")
	add("notfound-route.en", e.URL+"/nope?lang=en", true, "")
	add("notfound-link.uk", e.URL+"/p/forged", true, "")
	expired := []page{
		{name: "pay-expired.uk", url: expiring, ours: true},
		{name: "pay-expired.en", url: expiring + "?lang=en", ours: true},
		{name: "result-expired.uk", url: expiring + "/result", ours: true},
	}

	tour := func(pages []page) {
		for _, s := range []screen{desktop, phone, small} {
			for _, p := range pages {
				name := p.name + "-" + s.String()
				steps := chromedp.Tasks{resize(s), chromedp.Navigate(p.url), chromedp.WaitReady(`body`, chromedp.ByQuery)}
				if p.do != nil {
					steps = append(steps, p.do)
				}
				steps = append(steps, view("page-"+name), noSideScroll(t, name), tapTargets(t, name))
				if s != small {
					steps = append(steps, axe(t, src, rep, name))
				}
				if p.ours {
					steps = append(steps, mainAndH1(t, name))
				}
				if p.fold != "" {
					steps = append(steps, aboveFold(t, name, p.fold))
				}
				if err := chromedp.Run(ctx, steps); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
			}
		}
	}
	tour(pages)
	e.Clock.Set(time.Now().Add(2 * time.Hour)) // the console's checks follow the wall clock
	tour(expired)
}

// toSandbox presses «Оплатити» and waits for the sandbox bank's card page.
func toSandbox() chromedp.Action {
	return chromedp.Tasks{
		chromedp.WaitVisible(`form button[type=submit]`, chromedp.ByQuery),
		chromedp.Click(`form button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#card`, chromedp.ByQuery),
	}
}

// mainAndH1 fails the test unless the page has one main landmark and one h1.
func mainAndH1(t *testing.T, name string) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		var n struct{ Main, H1 int }
		if err := eval(`({Main: document.querySelectorAll("main").length, H1: document.querySelectorAll("h1").length})`, &n).Do(ctx); err != nil {
			return err
		}
		if n.Main != 1 || n.H1 != 1 {
			t.Errorf("%s has %d main and %d h1, want one of each", name, n.Main, n.H1)
		}
		return nil
	})
}

// consolePress presses, in the console's chat over via, the inline button
// whose data starts with prefix under the newest message that has one: for
// «Скасувати», the QR message of link.
func consolePress(t *testing.T, e *hosttest.Env, via, link, prefix string) {
	t.Helper()
	ch := consoleChatOf(t, e, via)
	for i := len(ch.Messages) - 1; i >= 0; i-- {
		m := ch.Messages[i]
		for _, row := range m.Inline {
			for _, btn := range row {
				if strings.HasPrefix(btn.Data, prefix) && (strings.Contains(m.Text, link) || prefix != "cancel:") {
					consolePost(t, e, "/dev/api/press", `{"via":"`+via+`","lang":"uk","data":"`+btn.Data+`","message_id":`+strconv.Itoa(m.ID)+`}`)
					return
				}
			}
		}
	}
	t.Fatalf("no %q button in the %s chat for %s: %+v", prefix, via, link, ch.Messages)
}

// consoleChatOf reads the console's chat over via as its page gets it.
func consoleChatOf(t *testing.T, e *hosttest.Env, via string) devconsole.Chat {
	t.Helper()
	resp, err := http.Get(e.URL + "/dev/api/chat?via=" + via)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var ch devconsole.Chat
	if err := json.NewDecoder(resp.Body).Decode(&ch); err != nil {
		t.Fatal(err)
	}
	return ch
}
