package bot

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/internal/testsupport"
)

// TestCatalogGolden lists every sentence of each catalog as written, so a
// change to any text shows in review.
func TestCatalogGolden(t *testing.T) {
	for _, c := range []*catalog{&uk, &en} {
		t.Run(c.lang, func(t *testing.T) {
			var b strings.Builder
			v := reflect.ValueOf(*c)
			for i := 0; i < v.NumField(); i++ {
				fmt.Fprintf(&b, "## %s\n", v.Type().Field(i).Name)
				f := v.Field(i)
				if f.Kind() == reflect.Array {
					for j := 0; j < f.Len(); j++ {
						fmt.Fprintf(&b, "%s\n", f.Index(j).String())
					}
					continue
				}
				fmt.Fprintf(&b, "%s\n", f.String())
			}
			testsupport.Golden(t, "catalog."+c.lang, b.String())
		})
	}
}

// TestCatalogsAgree checks that both catalogs fill every sentence and take
// the same arguments, so no language prints %!s(MISSING).
func TestCatalogsAgree(t *testing.T) {
	u, e := reflect.ValueOf(uk), reflect.ValueOf(en)
	for i := 0; i < u.NumField(); i++ {
		name := u.Type().Field(i).Name
		uf, ef := u.Field(i), e.Field(i)
		if uf.Kind() == reflect.Array {
			for j := 0; j < uf.Len(); j++ {
				if uf.Index(j).String() == "" || ef.Index(j).String() == "" {
					t.Errorf("%s[%d] is empty in a catalog", name, j)
				}
			}
			continue
		}
		us, es := uf.String(), ef.String()
		if us == "" || es == "" {
			t.Errorf("%s: uk %q, en %q; want both set", name, us, es)
		}
		if got, want := verbs(es), verbs(us); got != want {
			t.Errorf("%s: en verbs %q, uk verbs %q; want the same", name, got, want)
		}
	}
}

func verbs(s string) string {
	var out []string
	for i := 0; i < len(s)-1; i++ {
		if s[i] == '%' {
			out = append(out, s[i:i+2])
			i++
		}
	}
	return strings.Join(out, " ")
}

func TestNotificationGolden(t *testing.T) {
	at := time.Date(2026, 7, 1, 9, 5, 0, 0, time.UTC) // 12:05 in Kyiv (EEST)
	notices := []check.Notice{
		{Kind: check.NoticePaid, At: at},
		{Kind: check.NoticeFailed, Reason: "Insufficient funds", At: at, Attempt: "a"},
		{Kind: check.NoticeFailed, At: at, Attempt: "b"},
		{Kind: check.NoticeExpired, At: at},
		{Kind: check.NoticeRefunded, At: at},
		{Kind: check.NoticePaidTwice, At: at, Attempt: "p2"},
		{Kind: "chargeback", At: at},
	}
	for _, lang := range []string{"uk", "en"} {
		t.Run(lang, func(t *testing.T) {
			chk := check.Check{ID: "k7q2xfaaaaaaaaaaaaaaaaaaaa", Amount: 123456, Chat: check.Chat{Lang: lang}}
			var b strings.Builder
			for _, n := range notices {
				r := Notification(chk, n)
				if r.Kind != Message {
					t.Errorf("notice %s: kind %s, want message", n.Key(), r.Kind)
				}
				fmt.Fprintf(&b, "## %s\n%s\n", n.Key(), r.Text)
			}
			testsupport.Golden(t, "notifications."+lang, b.String())
		})
	}
}

func TestQuote(t *testing.T) {
	tests := []struct{ lang, name, want string }{
		{"uk", "Кавʼярня Ранок", "«Кавʼярня Ранок»"},
		{"uk", "Кавʼярня «Ранок»", "Кавʼярня «Ранок»"},
		{"en", "Shop", "“Shop”"},
		{"en", `"Shop" Ltd`, `"Shop" Ltd`},
	}
	for _, tt := range tests {
		if got := catalogFor(tt.lang).quote(tt.name); got != tt.want {
			t.Errorf("quote(%s, %q) = %q, want %q", tt.lang, tt.name, got, tt.want)
		}
	}
}

func TestParseButton(t *testing.T) {
	tests := []struct {
		in   string
		want ButtonID
		ok   bool
	}{
		{"Створити чек", NewCheck, true},
		{" створити ЧЕК ", NewCheck, true},
		{"New check", NewCheck, true},
		{"new", NewCheck, true},
		{"Мої чеки", MyChecks, true},
		{"My checks", MyChecks, true},
		{"Допомога", Help, true},
		{"help", Help, true},
		{"Створити", 0, false},
		{"12", 0, false},
	}
	for _, tt := range tests {
		got, ok := ParseButton(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseButton(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
	for _, lang := range []string{"uk", "en"} {
		for _, b := range MainKeyboard(lang) {
			if id, ok := ParseButton(b.Text); !ok || id != b.ID {
				t.Errorf("%s keyboard label %q parses as %v, %v; want %v", lang, b.Text, id, ok, b.ID)
			}
		}
	}
}
