package e2e

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/paylastic/edge/wasm/hosttest"
)

// TestBrowserConsoleWalk is the newcomer's walk in the dev console at
// 1280×800 and 375×740: «Demo merchant», «Створити чек», an amount, the QR
// in the chat, «Скасувати» (the caption changes and the toast shows), a
// second check paid in another tab (the notice scrolls into view by
// itself), «Скасувати» on the paid check (the toast says it cannot), and
// the same chat over Viber, in order, its keyboard inside the screen. axe
// finds no serious or critical violation in either view; every button is
// at least 44 px. Screenshots of each step go to screenshots/console-*.
func TestBrowserConsoleWalk(t *testing.T) {
	src := axeSource(t)
	rep := newAxeReport(t, "axe-console.txt")
	for _, s := range []screen{desktop, phone} {
		t.Run(s.String(), func(t *testing.T) {
			ctx := browser(t)
			e := hosttest.Start(t, hosttest.Options{Console: true})
			name := func(step string) string { return "console-" + s.String() + "-" + step }
			kbKey := func(label string) string {
				return `//div[@id="kb"]//button[normalize-space(.)="` + label + `"]`
			}
			run := func(what string, steps ...chromedp.Action) {
				t.Helper()
				sctx, cancel := context.WithTimeout(ctx, 30*time.Second) // a step that hangs fails alone
				defer cancel()
				if err := chromedp.Run(sctx, steps...); err != nil {
					_ = chromedp.Run(ctx, view(name("failed")))
					t.Fatalf("%s: %v (screenshots/%s.png shows the page)", what, err, name("failed"))
				}
			}

			run("open the console", resize(s),
				chromedp.Navigate(e.URL+"/dev"),
				chromedp.WaitVisible(`#demo`, chromedp.ByQuery),
				view(name("1-start")),
				axe(t, src, rep, "console-telegram-start-"+s.String()),
				tapTargets(t, name("1-start")))

			run("demo merchant",
				chromedp.Click(`#demo`, chromedp.ByQuery),
				chromedp.WaitVisible(kbKey("Створити чек"), chromedp.BySearch),
				chromedp.WaitNotVisible(`#demo`, chromedp.ByQuery),
				newestInView(t, name("2-activated")),
				view(name("2-activated")))

			run("a check of 12,50",
				chromedp.Click(kbKey("Створити чек"), chromedp.BySearch),
				chromedp.WaitVisible(`//div[contains(@class,"bot")][contains(., "Введіть суму")]`, chromedp.BySearch),
				chromedp.SendKeys(`#t`, "12,50", chromedp.ByQuery),
				chromedp.Click(`#f button`, chromedp.ByQuery),
				qrLoaded(1),
				newestInView(t, name("3-qr")),
				view(name("3-qr")),
				axe(t, src, rep, "console-telegram-qr-"+s.String()),
				tapTargets(t, name("3-qr")),
				noSideScroll(t, name("3-qr")))

			var caption, toast string
			run("«Скасувати» under the QR",
				chromedp.Click(`(//div[contains(@class,"msg")][.//img])[1]//button[.="Скасувати"]`, chromedp.BySearch),
				chromedp.WaitVisible(`//div[contains(@class,"msg")][.//img][contains(., "скасовано")]`, chromedp.BySearch),
				chromedp.WaitVisible(`#toast`, chromedp.ByQuery),
				chromedp.Text(`#toast`, &toast, chromedp.ByQuery),
				chromedp.Text(`(//div[contains(@class,"msg")][.//img])[1]`, &caption, chromedp.BySearch),
				newestInView(t, name("4-cancelled")),
				view(name("4-cancelled")))
			if toast != "Чек скасовано" || !strings.Contains(caption, "edited") || strings.Contains(caption, "Скасувати") {
				t.Errorf("after «Скасувати»: toast %q, QR message %q; want the toast, the caption edited, no button", toast, caption)
			}

			var link string
			run("a second check",
				chromedp.SendKeys(`#t`, "20", chromedp.ByQuery),
				chromedp.Click(`#f button`, chromedp.ByQuery),
				qrLoaded(2),
				newestInView(t, name("5-second-qr")),
				chromedp.AttributeValue(`(//div[contains(@class,"msg")][.//img])[2]//a[contains(@href,"/p/")]`, "href", &link, nil, chromedp.BySearch))

			// The buyer pays in another tab; the console stays as it is.
			buyerTab, closeTab := chromedp.NewContext(ctx)
			if err := chromedp.Run(buyerTab, resize(s),
				chromedp.Navigate(link), toSandbox(),
				chromedp.SendKeys(`#card`, sbCardPaid, chromedp.ByQuery),
				chromedp.SendKeys(`#exp`, "12/30", chromedp.ByQuery),
				chromedp.SendKeys(`#cvv`, "123", chromedp.ByQuery),
				chromedp.Click(`form button[type=submit]`, chromedp.ByQuery),
				chromedp.WaitVisible(`//div[@class="ok"][contains(., "Оплату прийнято")]`, chromedp.BySearch),
			); err != nil {
				t.Fatalf("pay the second check: %v", err)
			}
			closeTab()
			run("the paid notice",
				chromedp.WaitVisible(`//div[contains(@class,"bot")][contains(., "✅ Оплачено: чек")]`, chromedp.BySearch),
				chromedp.WaitNotVisible(`#toast`, chromedp.ByQuery), // a toast shows for a moment only
				newestInView(t, name("6-paid")),
				view(name("6-paid")))

			run("«Скасувати» on the paid check",
				chromedp.Click(`(//div[contains(@class,"msg")][.//img])[2]//button[.="Скасувати"]`, chromedp.BySearch),
				chromedp.WaitVisible(`//*[@id="toast"][contains(., "скасувати не можна")]`, chromedp.BySearch),
				view(name("7-cannot-cancel")))

			var order []string
			run("the Viber view",
				chromedp.Click(`#via button[data-v=viber]`, chromedp.ByQuery),
				chromedp.WaitVisible(`#demo`, chromedp.ByQuery),
				axe(t, src, rep, "console-viber-start-"+s.String()),
				chromedp.Click(`#demo`, chromedp.ByQuery),
				chromedp.WaitVisible(kbKey("Створити чек"), chromedp.BySearch),
				chromedp.Click(kbKey("Створити чек"), chromedp.BySearch),
				chromedp.WaitVisible(`//div[contains(@class,"bot")][contains(., "Введіть суму")]`, chromedp.BySearch),
				chromedp.SendKeys(`#t`, "12,50", chromedp.ByQuery),
				chromedp.Click(`#f button`, chromedp.ByQuery),
				qrLoaded(1),
				chromedp.WaitVisible(kbKey("Скасувати"), chromedp.BySearch),
				newestInView(t, name("8-viber")),
				eval(`[...document.querySelectorAll("#log .msg")].map(d => (d.classList.contains("me") ? "me" : "bot") + (d.querySelector("img") ? ":picture" : ""))`, &order),
				view(name("8-viber")),
				axe(t, src, rep, "console-viber-qr-"+s.String()),
				tapTargets(t, name("8-viber")),
				noSideScroll(t, name("8-viber")),
				inView(t, name("8-viber"), kbKey("Скасувати")))
			// greeting, the code, «activated», «enter the amount» (Viber shows
			// nothing for the silent key), 12,50, the picture and its details
			if want := []string{"bot", "me", "bot", "bot", "me", "bot:picture", "bot"}; !slices.Equal(order, want) {
				t.Errorf("Viber chat = %v, want %v", order, want)
			}
		})
	}
}

// qrLoaded waits until the chat holds n QR pictures, all loaded.
func qrLoaded(n int) chromedp.Action {
	return chromedp.Poll(`(() => { const imgs = [...document.querySelectorAll("#log .msg img")];
		return imgs.length >= `+strconv.Itoa(n)+` && imgs.every(i => i.complete && i.naturalWidth > 0); })()`, nil,
		chromedp.WithPollingTimeout(10*time.Second))
}

// newestInView fails the test unless, within 3 s and with nobody
// scrolling, the chat shows the end of its newest message (a QR message is
// taller than a phone's chat).
func newestInView(t *testing.T, name string) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		const visible = `(() => { const log = document.getElementById("log"), last = log.lastElementChild;
			if (!last) return false; const l = log.getBoundingClientRect(), r = last.getBoundingClientRect();
			return r.bottom > l.top && r.bottom <= l.bottom + 1; })()`
		err := chromedp.Poll(visible, nil, chromedp.WithPollingTimeout(3*time.Second)).Do(ctx)
		if err != nil {
			var where struct{ ScrollTop, ScrollHeight, ClientHeight float64 }
			_ = eval(`(() => { const l = document.getElementById("log"); return {ScrollTop: l.scrollTop, ScrollHeight: l.scrollHeight, ClientHeight: l.clientHeight}; })()`, &where).Do(ctx)
			t.Errorf("%s: the newest message is not in view (chat scrolled to %.0f of %.0f, %.0f shown): %v", name, where.ScrollTop, where.ScrollHeight, where.ClientHeight, err)
		}
		return nil
	})
}

// inView fails the test unless the element found by the XPath sel is
// wholly inside the viewport.
func inView(t *testing.T, name, sel string) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		var r struct {
			Found                          bool
			Left, Right, Top, Bottom, W, H float64
		}
		err := eval(`(() => { const e = document.evaluate(`+jsString(sel)+`, document, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue;
			if (!e) return {Found: false}; const r = e.getBoundingClientRect();
			return {Found: true, Left: r.left, Right: r.right, Top: r.top, Bottom: r.bottom, W: window.innerWidth, H: window.innerHeight}; })()`, &r).Do(ctx)
		if err != nil {
			return err
		}
		if !r.Found || r.Left < 0 || r.Top < 0 || r.Right > r.W || r.Bottom > r.H {
			t.Errorf("%s: %s is not inside the %.0f×%.0f viewport: %+v", name, sel, r.W, r.H, r)
		}
		return nil
	})
}
