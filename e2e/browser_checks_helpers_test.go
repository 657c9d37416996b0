package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/paylastic/edge/internal/testsupport"
)

// screen is a viewport the browser tests look at pages in.
type screen struct{ W, H int }

var (
	desktop = screen{1280, 800}
	phone   = screen{375, 740}
	small   = screen{320, 640} // the smallest phones still sold
)

func (s screen) String() string { return fmt.Sprintf("%dx%d", s.W, s.H) }

// resize makes the tab's viewport s: a phone (touch, 2× pixels) below
// 600 px wide, a desktop window otherwise.
func resize(s screen) chromedp.Action {
	if s.W < 600 {
		return chromedp.EmulateViewport(int64(s.W), int64(s.H), chromedp.EmulateScale(2), chromedp.EmulateMobile)
	}
	return chromedp.EmulateViewport(int64(s.W), int64(s.H))
}

// view saves a screenshot of what the viewport shows (what a visitor sees
// without scrolling) under screenshots/.
func view(name string) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		var png []byte
		if err := chromedp.CaptureScreenshot(&png).Do(ctx); err != nil {
			return err
		}
		return saveArtifact(name+".png", png)
	})
}

// saveArtifact writes data to screenshots/name (git-ignored).
func saveArtifact(name string, data []byte) error {
	root, err := testsupport.RepoRoot()
	if err != nil {
		return err
	}
	dir := filepath.Join(root, "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, name), data, 0o644)
}

// eval evaluates a JavaScript expression, awaiting it if it is a promise.
func eval(expr string, out any) chromedp.Action {
	return chromedp.Evaluate(expr, out, func(p *runtime.EvaluateParams) *runtime.EvaluateParams {
		return p.WithAwaitPromise(true)
	})
}

// axeSource is axe-core's browser bundle, pinned in package.json and
// installed into node_modules by `make deps` (npm ci). Without it the
// browser tests skip loudly, and fail in CI.
func axeSource(t *testing.T) string {
	t.Helper()
	root, err := testsupport.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(root, "node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("axe-core is not installed: run make deps (npm ci): %v", err)
		}
		t.Skipf("SKIPPING BROWSER TESTS: axe-core is not installed (run make deps): %v", err)
	}
	return string(b)
}

// axeViolation is one rule axe found broken, with the elements that break it.
type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// axeReport collects what axe said about each page, for the test log and
// screenshots/axe.txt.
type axeReport struct {
	mu    sync.Mutex
	pages map[string][]axeViolation
}

// newAxeReport writes the report when the test ends.
func newAxeReport(t *testing.T, file string) *axeReport {
	r := &axeReport{pages: map[string][]axeViolation{}}
	t.Cleanup(func() {
		var b strings.Builder
		names := make([]string, 0, len(r.pages))
		for n := range r.pages {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			count := map[string]int{}
			for _, v := range r.pages[n] {
				count[v.Impact]++
			}
			fmt.Fprintf(&b, "%-44s critical %d  serious %d  moderate %d  minor %d\n", n, count["critical"], count["serious"], count["moderate"], count["minor"])
			for _, v := range r.pages[n] {
				fmt.Fprintf(&b, "    %s (%s): %s\n", v.ID, v.Impact, strings.Join(v.Nodes, "; "))
			}
		}
		t.Logf("axe-core on every page:\n%s", b.String())
		_ = saveArtifact(file, []byte(b.String()))
	})
	return r
}

// axe runs axe-core on the page (WCAG 2.x A and AA rules and best
// practices, as axe enables them by default) and fails the test on any
// serious or critical violation. The page's CSP does not stop it: DevTools
// evaluation is not page script.
func axe(t *testing.T, src string, rep *axeReport, name string) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		var loaded bool
		if err := eval(`typeof axe === "object"`, &loaded).Do(ctx); err != nil {
			return err
		}
		if !loaded {
			if err := chromedp.Evaluate(src+"\n;true", &loaded).Do(ctx); err != nil {
				return fmt.Errorf("inject axe-core: %w", err)
			}
		}
		var vs []axeViolation
		err := eval(`axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations.map(v => ({
			id: v.id, impact: v.impact || "", help: v.help,
			nodes: v.nodes.map(n => n.target.join(" ") + " — " + (n.failureSummary || "").replace(/\s+/g, " ").slice(0, 240))})))`, &vs).Do(ctx)
		if err != nil {
			return fmt.Errorf("axe on %s: %w", name, err)
		}
		rep.mu.Lock()
		rep.pages[name] = vs
		rep.mu.Unlock()
		for _, v := range vs {
			if v.Impact == "serious" || v.Impact == "critical" {
				t.Errorf("axe on %s: %s (%s): %s\n    %s", name, v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n    "))
			}
		}
		return nil
	})
}

// noSideScroll fails the test when the page is wider than the viewport.
func noSideScroll(t *testing.T, name string) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		var w struct{ Page, View int }
		if err := eval(`({Page: document.documentElement.scrollWidth, View: window.innerWidth})`, &w).Do(ctx); err != nil {
			return err
		}
		if w.Page > w.View {
			t.Errorf("%s is %d px wide in a %d px viewport: it scrolls sideways", name, w.Page, w.View)
		}
		return nil
	})
}

// tapTargets fails the test for every link, button or field smaller than
// 44×44 CSS px (hidden form fields aside).
func tapTargets(t *testing.T, name string) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		var small []string
		err := eval(`[...document.querySelectorAll("a[href], button, input:not([type=hidden]), select, textarea, [role=button]")]
			.map(e => [e, e.getBoundingClientRect()])
			.filter(([e, r]) => r.width > 0 && (r.width < 44 || r.height < 44))
			.map(([e, r]) => e.tagName.toLowerCase() + " «" + (e.textContent || e.value || e.name).trim().slice(0, 30) + "» " + Math.round(r.width) + "×" + Math.round(r.height))`, &small).Do(ctx)
		if err != nil {
			return err
		}
		for _, s := range small {
			t.Errorf("%s: tap target smaller than 44×44 px: %s", name, s)
		}
		return nil
	})
}

// aboveFold fails the test unless the element sel is wholly inside the
// viewport as the page opens.
func aboveFold(t *testing.T, name, sel string) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		var r struct {
			Found        bool
			Bottom, View float64
		}
		err := eval(`(() => { const e = document.querySelector(`+jsString(sel)+`); if (!e) return {Found: false};
			window.scrollTo(0, 0); return {Found: true, Bottom: e.getBoundingClientRect().bottom, View: window.innerHeight}; })()`, &r).Do(ctx)
		if err != nil {
			return err
		}
		switch {
		case !r.Found:
			t.Errorf("%s: no %s", name, sel)
		case r.Bottom > r.View:
			t.Errorf("%s: %s ends at %.0f px, below the fold at %.0f px", name, sel, r.Bottom, r.View)
		default:
			t.Logf("%s: %s ends at %.0f px, the fold is at %.0f px", name, sel, r.Bottom, r.View)
		}
		return nil
	})
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`, "\n", `\n`).Replace(s) + "'"
}
