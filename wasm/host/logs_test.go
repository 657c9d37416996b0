package host_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/paylastic/edge/core/telegram"
	"github.com/paylastic/edge/internal/testsupport"
	"github.com/paylastic/edge/wasm/hosttest"
)

// TestLogsKeepSecrets: a buyer pays (and is declined once) on the sandbox
// page, a forged webhook and a panic are logged; the harness's log, guest
// records included, holds no secret of the environment and no card
// number, and each guest record is one line of its own (src=guest).
func TestLogsKeepSecrets(t *testing.T) {
	logs := &testsupport.LogBuf{}
	e, link := shopEnv(t, hosttest.Options{Log: logs})
	for _, card := range []string{"4000 0000 0000 0002", "4242 4242 4242 4242"} {
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar}
		page := fetch(t, c, "GET", link, nil)
		bankPage := submitForm(t, c, page, nil)
		result := submitForm(t, c, bankPage, url.Values{"card": {card}, "exp": {"12/30"}, "cvv": {"123"}})
		if card == "4242 4242 4242 4242" && !strings.Contains(result.body, "Оплату прийнято") {
			t.Fatalf("paying did not reach the result page: %s\n%s", result.url, result.body)
		}
	}
	post := func(path, secret string) {
		req, _ := http.NewRequest("POST", e.URL+path, strings.NewReader(telegramUpdate(7, "12")))
		req.Header.Set(telegram.SecretHeader, secret)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
		}
	}
	post(telegram.WebhookPath, "forged-"+e.Env["TELEGRAM_WEBHOOK_SECRET"])
	request(t, "GET", e.URL+"/_test/panic", "", "")

	out := logs.String()
	if !strings.Contains(out, "src=guest") {
		t.Fatalf("no guest records in the log:\n%s", out)
	}
	for _, k := range []string{"ADMIN_TOKEN", "LINK_SECRET", "DATA_KEY", "TELEGRAM_WEBHOOK_SECRET", "TELEGRAM_BOT_TOKEN"} {
		if v := e.Env[k]; v != "" && strings.Contains(out, v) {
			t.Errorf("the log holds %s", k)
		}
	}
	for _, card := range []string{"4242 4242 4242 4242", "4242424242424242", "4000 0000 0000 0002", "4000000000000002"} {
		if strings.Contains(out, card) {
			t.Errorf("the log holds the card number %s", card)
		}
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, `msg="time=`) || strings.Count(line, " level=") > 1 {
			t.Errorf("a guest line wrapped in a host line: %s", line)
		}
	}
}

var formRE = regexp.MustCompile(`(?s)<form[^>]* method="post" action="([^"]*)"[^>]*>(.*?)</form>`)
var hiddenRE = regexp.MustCompile(`<input type="hidden" name="([^"]*)" value="([^"]*)">`)

type page struct{ url, body string }

func fetch(t *testing.T, c *http.Client, method, u string, form url.Values) page {
	t.Helper()
	req, _ := http.NewRequest(method, u, strings.NewReader(form.Encode()))
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return page{resp.Request.URL.String(), string(b)}
}

// submitForm posts p's form with its hidden fields and fill.
func submitForm(t *testing.T, c *http.Client, p page, fill url.Values) page {
	t.Helper()
	m := formRE.FindStringSubmatch(p.body)
	if m == nil {
		t.Fatalf("no form on %s:\n%s", p.url, p.body)
	}
	unescape := strings.NewReplacer("&amp;", "&", "&#43;", "+", "&#39;", "'", "&quot;", `"`).Replace
	form := url.Values{}
	for _, in := range hiddenRE.FindAllStringSubmatch(m[2], -1) {
		form.Set(in[1], unescape(in[2]))
	}
	for k, v := range fill {
		form[k] = v
	}
	base, _ := url.Parse(p.url)
	target, err := base.Parse(unescape(m[1]))
	if err != nil {
		t.Fatal(err)
	}
	return fetch(t, c, "POST", target.String(), form)
}
