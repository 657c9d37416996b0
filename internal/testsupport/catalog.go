package testsupport

import (
	"sort"
	"testing"
)

// CatalogComplete fails t for every key that one language of a message
// catalog (language → key → text) has and another lacks or leaves empty.
func CatalogComplete(t testing.TB, catalog map[string]map[string]string) {
	t.Helper()
	langs := make([]string, 0, len(catalog))
	for lang := range catalog {
		langs = append(langs, lang)
	}
	sort.Strings(langs)
	for _, from := range langs {
		for key := range catalog[from] {
			for _, lang := range langs {
				if catalog[lang][key] == "" {
					t.Errorf("%q (%s) has no %s text", key, from, lang)
				}
			}
		}
	}
}
