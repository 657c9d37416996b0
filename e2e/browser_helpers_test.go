package e2e

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/paylastic/edge/wasm/hosttest"
)

// chromium finds Debian's Chromium (installed by .ci/run, or `make
// deps`). Outside CI a missing browser skips loudly; in CI it fails.
func chromium(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if p == "" {
			continue
		}
		if _, err := exec.LookPath(p); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is not installed: .ci/run must install it (apt-get install chromium)")
	}
	t.Skip("SKIPPING BROWSER TESTS: chromium is not installed (run `make deps` as root)")
	return ""
}

// browser starts headless Chromium with a phone-sized screen (375×740).
func browser(t *testing.T) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		// the fake banks are served over https with httptest's certificate
		chromedp.Flag("ignore-certificate-errors", true),
		chromedp.UserDataDir(profileDir(t)),
		chromedp.Flag("lang", "uk-UA"),
		chromedp.Flag("accept-lang", "uk-UA,uk"),
		chromedp.WindowSize(375, 740),
	)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelB := chromedp.NewContext(actx)
	ctx, cancelC := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() { cancelC(); cancelB(); cancelA() })
	if err := chromedp.Run(ctx,
		network.Enable(),
		network.SetExtraHTTPHeaders(network.Headers{"Accept-Language": "uk-UA,uk;q=0.9"}),
		chromedp.EmulateViewport(375, 740, chromedp.EmulateScale(2), chromedp.EmulateMobile),
	); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// profileDir is a throwaway Chromium profile. Chromium may still be writing
// to it when the test ends, so it is removed best-effort, not by t.TempDir.
func profileDir(t *testing.T) string {
	d, err := os.MkdirTemp("", "paylastic-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { time.Sleep(200 * time.Millisecond); _ = os.RemoveAll(d) })
	return d
}

// shot saves a full-page screenshot under screenshots/ (git-ignored).
func shot(t *testing.T, ctx context.Context, name string) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		var png []byte
		if err := chromedp.FullScreenshot(&png, 100).Do(ctx); err != nil {
			return err
		}
		return saveArtifact(name+".png", png)
	})
}

// consolePost calls the dev console's API as its page does.
func consolePost(t *testing.T, e *hosttest.Env, path, body string) {
	t.Helper()
	resp, err := http.Post(e.URL+path, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatalf("POST %s: %v", path, err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	if resp.StatusCode != 200 || out["error"] != nil {
		t.Fatalf("POST %s = %d %v", path, resp.StatusCode, out)
	}
	if s, ok := out["status"].(float64); ok && s >= 400 {
		t.Fatalf("POST %s: the product answered %v", path, out)
	}
}

var linkRE = regexp.MustCompile(`https?://\S+/p/[A-Za-z0-9_-]+`)

// newCheckLink activates the console's operator on a demo merchant and
// creates a check of amount through the console's Telegram chat, returning
// its link.
func newCheckLink(t *testing.T, e *hosttest.Env, amount string) string {
	t.Helper()
	link, _ := newConsoleCheck(t, e, "telegram", amount)
	return link
}

// newConsoleCheck does the same in the console's chat over via ("telegram"
// or "viber"), returning the link and the URL of the QR picture in the chat.
func newConsoleCheck(t *testing.T, e *hosttest.Env, via, amount string) (link, photo string) {
	t.Helper()
	consolePost(t, e, "/dev/api/demo", `{"via":"`+via+`","lang":"uk"}`)
	consolePost(t, e, "/dev/api/send", `{"via":"`+via+`","lang":"uk","text":"`+amount+`"}`)
	msgs := consoleChat(t, e, via)
	for i := len(msgs) - 1; i >= 0; i-- {
		if link = linkRE.FindString(msgs[i].Text); link != "" && msgs[i].From == "bot" {
			break
		}
	}
	for _, m := range msgs {
		if m.From == "bot" && m.Photo != "" {
			photo = m.Photo
		}
	}
	if link == "" || photo == "" {
		t.Fatalf("no QR message with a link in the %s chat: %+v", via, msgs)
	}
	return link, photo
}

// consoleBubble is one message of the console's chat, as its page gets it.
type consoleBubble struct{ From, Text, Photo string }

// consoleChat reads the console's chat over via.
func consoleChat(t *testing.T, e *hosttest.Env, via string) []consoleBubble {
	t.Helper()
	resp, err := http.Get(e.URL + "/dev/api/chat?via=" + via)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var chat struct{ Messages []consoleBubble }
	if err := json.NewDecoder(resp.Body).Decode(&chat); err != nil {
		t.Fatal(err)
	}
	return chat.Messages
}
