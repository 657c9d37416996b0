package htmlw

import (
	"html/template" // only to prove the escaping is the same; never outside tests
	"strings"
	"testing"
)

// reference is what html/template writes for s in each context htmlw
// stands in for.
var reference = template.Must(template.New("").Parse(
	`<p>{{.}}</p><title>{{.}}</title><input value="{{.}}"><a href="{{.}}"></a><form action="{{.}}"></form>`))

func sameAsTemplate(t *testing.T, s string) {
	t.Helper()
	var want strings.Builder
	if err := reference.Execute(&want, s); err != nil {
		t.Fatal(err)
	}
	var b Builder
	b.WriteString("<p>")
	b.Text(s)
	b.WriteString("</p><title>")
	b.Text(s)
	b.WriteString(`</title><input value="`)
	b.Text(s)
	b.WriteString(`"><a href="`)
	b.URL(s)
	b.WriteString(`"></a><form action="`)
	b.URL(s)
	b.WriteString(`"></form>`)
	if got := b.String(); got != want.String() {
		t.Errorf("%q:\n got %s\nwant %s", s, got, want.String())
	}
}

func TestSameAsTemplate(t *testing.T) {
	for _, s := range []string{
		"",
		"plain",
		`<script>alert('x' + "y") & more</script>`,
		"a\x00b",
		"Кавʼярня «Ранок» — 12,50 грн",
		"\xff\xfe invalid \xc3",
		"\ufdd0\uffff",
		"/p/abc?lang=en&x=1+2",
		"https://bank.test/checkout?a=b c&d='e'(f)",
		"HTTPS://x.test/%41%4g%zz%",
		"mailto:a@b.test",
		"javascript:alert(1)",
		" javascript:alert(1)",
		"data:text/html,x",
		"//evil.test/path",
		"/a:b",
		"a/b:c",
		"tel:+380",
		"%",
		"%4",
		"ftp://x",
		"`{}|\\^\"<>",
	} {
		sameAsTemplate(t, s)
	}
}

func FuzzSameAsTemplate(f *testing.F) {
	f.Add("https://pay.test/p/x?lang=en")
	f.Add(`<a href="javascript:x">'+&</a>`)
	f.Add("%zz%41\x00\xff")
	f.Fuzz(sameAsTemplate)
}
