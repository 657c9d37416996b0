package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/paylastic/edge/wasm/hosttest"
)

// TestBrowserBuyerPath plays the buyer on a phone-sized screen: open the
// link, «Оплатити», the sandbox card page, «Хочу оплатити», the result page;
// for a card that pays and one that is declined (then paid with another).
// axe-core checks each page on the way (TestBrowserPages checks them all).
func TestBrowserBuyerPath(t *testing.T) {
	src := axeSource(t)
	rep := newAxeReport(t, "axe-buyer-path.txt")
	ctx := browser(t)
	e := hosttest.Start(t, hosttest.Options{Console: true})
	link := newCheckLink(t, e, "12,50")

	var page, result string
	pay := func(card, name string) chromedp.Tasks {
		return chromedp.Tasks{
			chromedp.Navigate(link),
			chromedp.WaitVisible(`form button[type=submit]`, chromedp.ByQuery),
			shot(t, ctx, name+"-1-payment-page"),
			noSideScroll(t, name+" payment page"),
			axe(t, src, rep, name+"-payment-page"),
			chromedp.Text(`body`, &page, chromedp.ByQuery),
			chromedp.Click(`form button[type=submit]`, chromedp.ByQuery),
			chromedp.WaitVisible(`#card`, chromedp.ByQuery),
			chromedp.SendKeys(`#card`, card, chromedp.ByQuery),
			chromedp.SendKeys(`#exp`, "12/30", chromedp.ByQuery),
			chromedp.SendKeys(`#cvv`, "123", chromedp.ByQuery),
			shot(t, ctx, name+"-2-sandbox-card-page"),
			noSideScroll(t, name+" sandbox card page"),
			axe(t, src, rep, name+"-sandbox-card-page"),
			chromedp.Click(`form button[type=submit]`, chromedp.ByQuery),
			chromedp.WaitVisible(`//h1[contains(., "Результат оплати")]`, chromedp.BySearch),
			shot(t, ctx, name+"-3-result-page"),
			noSideScroll(t, name+" result page"),
			axe(t, src, rep, name+"-result-page"),
			chromedp.Text(`body`, &result, chromedp.ByQuery),
		}
	}
	if err := chromedp.Run(ctx, pay("4000 0000 0000 0002", "decline")); err != nil {
		t.Fatalf("declined payment: %v", err)
	}
	for _, want := range []string{"12,50 грн", "Кавʼярня «Демо»", "власному телефоні"} {
		if !strings.Contains(page, want) {
			t.Errorf("payment page lacks %q:\n%s", want, page)
		}
	}
	if !strings.Contains(result, "Оплата не вдалася") {
		t.Fatalf("result after a declined card:\n%s", result)
	}
	if err := chromedp.Run(ctx, pay("4242 4242 4242 4242", "success")); err != nil {
		t.Fatalf("payment: %v", err)
	}
	if !strings.Contains(result, "Оплату прийнято") || !strings.Contains(result, "12,50 грн") {
		t.Fatalf("result after 4242…:\n%s", result)
	}
	// the page now says paid and offers no payment
	var after string
	if err := chromedp.Run(ctx, chromedp.Navigate(link), chromedp.Text(`body`, &after, chromedp.ByQuery), shot(t, ctx, "success-4-paid-link")); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(after, "Чек оплачено") {
		t.Errorf("link after payment:\n%s", after)
	}
}

// TestBrowserLiqPay: a LiqPay merchant's buyer presses «Оплатити» and our
// form to LiqPay's checkout submits itself (the CSP allows that one script
// and a form post to the https bank); the buyer pays on the fake LiqPay's
// card page and comes back to our result page.
func TestBrowserLiqPay(t *testing.T) {
	ctx := browser(t)
	s := newShop(t, hosttest.Options{}, fakeAcquirersTLS)
	s.switchTo(acqLiqPayCreds)
	link, _ := s.newCheck("12,50")
	var at, result string
	err := chromedp.Run(ctx,
		chromedp.Navigate(link),
		chromedp.WaitVisible(`form button[type=submit]`, chromedp.ByQuery),
		chromedp.Click(`form button[type=submit]`, chromedp.ByQuery),
		// no click here: only the auto-submit reaches the card page
		chromedp.WaitVisible(`input[name=cardNumber]`, chromedp.ByQuery),
		chromedp.Location(&at),
		chromedp.SendKeys(`input[name=cardNumber]`, acqCardPaid, chromedp.ByQuery),
		chromedp.SendKeys(`input[name=exp]`, "12/30", chromedp.ByQuery),
		chromedp.SendKeys(`input[name=cvv]`, "123", chromedp.ByQuery),
		shot(t, ctx, "liqpay-1-checkout"),
		chromedp.Click(`form button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`//div[@class="ok"][contains(., "Оплату прийнято")]`, chromedp.BySearch),
		shot(t, ctx, "liqpay-2-result-page"),
		chromedp.Text(`body`, &result, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatalf("LiqPay payment in the browser (at %s): %v", at, err)
	}
	if !strings.HasPrefix(at, s.liqURL+"/") {
		t.Errorf("the card page is at %s, want LiqPay's %s", at, s.liqURL)
	}
	if !strings.Contains(result, "12,50 грн") {
		t.Errorf("result page:\n%s", result)
	}
	if o := s.liqOrders(link); len(o) != 1 || o[0].Status != "success" {
		t.Errorf("LiqPay orders = %+v, want one paid", o)
	}
	s.wantTold("Оплачено")
}
