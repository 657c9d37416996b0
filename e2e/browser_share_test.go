package e2e

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/paylastic/edge/internal/testsupport"
	"github.com/paylastic/edge/wasm/hosttest"
)

// TestBrowserShare opens the cashier's share page of an open check (uk,
// en) and of a paid one at 375×740 and 1280×800: no serious or critical
// axe violation, no sideways scroll, every tap target at least 44×44 px,
// one main and one h1. With JavaScript the copy button appears (the
// clipboard is there on 127.0.0.1, a secure context): the CSP lets the
// share script run.
func TestBrowserShare(t *testing.T) {
	src := axeSource(t)
	ctx := browser(t)
	e := hosttest.Start(t, hosttest.Options{Console: true})
	rep := newAxeReport(t, "axe-share.txt")

	open := newCheckLink(t, e, "12,50")
	paid := newCheckLink(t, e, "12,50")
	b := testsupport.NewBuyer(t, "")
	wantSays(t, b.Submit(b.Submit(b.Get(paid), nil), sandboxCard(sbCardPaid)), "Оплату прийнято")

	pages := []struct {
		name, url string
		script    bool // the copy button must show
	}{
		{"share-open.uk", open + "/share?lang=uk", true},
		{"share-open.en", open + "/share?lang=en", true},
		{"share-paid.uk", paid + "/share?lang=uk", false},
	}
	for _, s := range []screen{phone, desktop} {
		for _, p := range pages {
			name := p.name + "-" + s.String()
			steps := chromedp.Tasks{resize(s), chromedp.Navigate(p.url), chromedp.WaitReady(`body`, chromedp.ByQuery),
				view("page-" + name), noSideScroll(t, name), tapTargets(t, name), axe(t, src, rep, name), mainAndH1(t, name)}
			if p.script {
				steps = append(steps, copyShown(t, name))
			}
			if err := chromedp.Run(ctx, steps); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
		}
	}
}

// copyShown fails the test unless the share script ran and showed the
// copy button.
func copyShown(t *testing.T, name string) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		var hidden bool
		if err := eval(`document.getElementById("share-copy").hidden`, &hidden).Do(ctx); err != nil {
			return err
		}
		if hidden {
			t.Errorf("%s: the copy button is still hidden: the share script did not run", name)
		}
		return nil
	})
}
