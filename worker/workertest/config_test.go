package workertest

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestWranglerToml: the tests run the Worker under their own copy of the
// configuration (testConfig); the repository's wrangler.toml, the one
// `make dev` and `make deploy` use, must agree with it on what the Worker
// relies on, and keep secrets out.
func TestWranglerToml(t *testing.T) {
	b, err := os.ReadFile("../../wrangler.toml")
	if err != nil {
		t.Fatal(err)
	}
	conf := string(b)
	setting := func(src, key string) string {
		m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(key) + `\s*=\s*(.+)$`).FindStringSubmatch(src)
		if m == nil {
			return ""
		}
		return strings.TrimSpace(m[1])
	}
	tests := []struct{ key, want string }{
		{"main", `"build/worker.mjs"`},
		{"compatibility_date", setting(testConfig, "compatibility_date")},
		{"binding", `"KV"`},
		{"crons", `["` + Cron + `"]`},
		{"command", `"make worker"`},
		{"SANDBOX_BANK", `"0"`},
	}
	for _, tt := range tests {
		if got := setting(conf, tt.key); got != tt.want {
			t.Errorf("wrangler.toml %s = %s, want %s", tt.key, got, tt.want)
		}
	}
	for _, secret := range []string{"ADMIN_TOKEN", "LINK_SECRET", "DATA_KEY", "TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_SECRET", "VIBER_AUTH_TOKEN"} {
		if setting(conf, secret) != "" {
			t.Errorf("wrangler.toml sets the secret %s: use wrangler secret put", secret)
		}
	}
}
