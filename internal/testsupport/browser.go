package testsupport

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// Page is one answer as a browser without JavaScript shows it: where it
// ended up after the redirects it followed, and what it read there.
type Page struct {
	Status int
	URL    string
	Header http.Header
	Body   string
}

// Browse sends req with c, following redirects as c does, and reads the
// answer; a request that fails fails the test.
func Browse(t testing.TB, c *http.Client, req *http.Request) Page {
	t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return Page{Status: resp.StatusCode, URL: resp.Request.URL.String(), Header: resp.Header, Body: string(body)}
}

// PostForm is the POST of form to u, as a browser sends it.
func PostForm(u string, form url.Values) *http.Request {
	req, _ := http.NewRequest("POST", u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return req
}

var (
	formRE   = regexp.MustCompile(`(?s)<form[^>]* method="post" action="([^"]*)"[^>]*>(.*?)</form>`)
	hiddenRE = regexp.MustCompile(`<input type="hidden" name="([^"]*)" value="([^"]*)">`)
	// unescapeHTML undoes what html/template escapes in attribute values.
	unescapeHTML = strings.NewReplacer("&amp;", "&", "&#43;", "+", "&#39;", "'", "&quot;", `"`, "&lt;", "<", "&gt;", ">")
)

// Submit is the request a browser sends when the page p's first post form
// is submitted: to its action (relative to p's URL), with its hidden fields
// and then fill. A page without one fails the test.
func Submit(t testing.TB, p Page, fill map[string]string) *http.Request {
	t.Helper()
	m := formRE.FindStringSubmatch(p.Body)
	if m == nil {
		t.Fatalf("no form on %s (%d):\n%s", p.URL, p.Status, p.Body)
	}
	form := url.Values{}
	for _, in := range hiddenRE.FindAllStringSubmatch(m[2], -1) {
		form.Set(in[1], unescapeHTML.Replace(in[2]))
	}
	for k, v := range fill {
		form.Set(k, v)
	}
	base, err := url.Parse(p.URL)
	if err != nil {
		t.Fatal(err)
	}
	target, err := base.Parse(unescapeHTML.Replace(m[1]))
	if err != nil {
		t.Fatal(err)
	}
	return PostForm(target.String(), form)
}

// SandboxCard fills the sandbox bank's card form with number.
func SandboxCard(number string) map[string]string {
	return map[string]string{"card": number, "exp": "12/30", "cvv": "123"}
}

// Buyer is a browser without JavaScript on the buyer's own phone: it keeps
// cookies, follows redirects (until StopAtRedirects) and submits forms.
type Buyer struct {
	T      testing.TB
	Client *http.Client
	Lang   string // Accept-Language, when set
	Loc    string // X-Test-Location, when set: where the harness says the buyer is
	Origin string // what a path without a scheme is relative to
}

// NewBuyer is a buyer with an empty cookie jar, on origin ("" when every
// address it is given is absolute).
func NewBuyer(t testing.TB, origin string) *Buyer {
	jar, _ := cookiejar.New(nil)
	return &Buyer{T: t, Client: &http.Client{Jar: jar}, Origin: origin}
}

// StopAtRedirects makes the buyer stop at each redirect (to see it).
func (b *Buyer) StopAtRedirects() *Buyer {
	b.Client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return b
}

// Do sends req with the buyer's language and location.
func (b *Buyer) Do(req *http.Request) Page {
	b.T.Helper()
	if b.Lang != "" {
		req.Header.Set("Accept-Language", b.Lang)
	}
	if b.Loc != "" {
		req.Header.Set("X-Test-Location", b.Loc)
	}
	return Browse(b.T, b.Client, req)
}

// Get opens u.
func (b *Buyer) Get(u string) Page {
	b.T.Helper()
	req, _ := http.NewRequest("GET", b.abs(u), nil)
	return b.Do(req)
}

// Post sends form to u.
func (b *Buyer) Post(u string, form url.Values) Page {
	b.T.Helper()
	return b.Do(PostForm(b.abs(u), form))
}

// Submit posts the page's form with its hidden fields and fill.
func (b *Buyer) Submit(p Page, fill map[string]string) Page {
	b.T.Helper()
	return b.Do(Submit(b.T, p, fill))
}

func (b *Buyer) abs(u string) string {
	if strings.HasPrefix(u, "http") {
		return u
	}
	return b.Origin + u
}
