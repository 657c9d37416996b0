package testsupport

import (
	"fmt"
	"testing"
)

// errorsOf records what a check reports instead of failing the test.
type errorsOf struct {
	testing.TB
	got []string
}

func (e *errorsOf) Helper() {}
func (e *errorsOf) Errorf(format string, args ...any) {
	e.got = append(e.got, fmt.Sprintf(format, args...))
}

func TestCatalogComplete(t *testing.T) {
	rec := &errorsOf{TB: t}
	CatalogComplete(rec, map[string]map[string]string{
		"uk": {"pay": "Оплатити", "back": "Назад"},
		"en": {"pay": "Pay", "help": ""},
	})
	want := map[string]bool{`"back" (uk) has no en text`: true, `"help" (en) has no en text`: true, `"help" (en) has no uk text`: true}
	if len(rec.got) != len(want) {
		t.Fatalf("reported %q, want %d errors", rec.got, len(want))
	}
	for _, g := range rec.got {
		if !want[g] {
			t.Errorf("reported %q, want one of %v", g, want)
		}
	}
}
