package app

import (
	"fmt"
	"strings"
	"time"

	"github.com/paylastic/edge/core/bank/liqpay"
	"github.com/paylastic/edge/core/bank/monobank"
	"github.com/paylastic/edge/core/telegram"
	"github.com/paylastic/edge/core/viber"
)

// Config is the product's configuration: the same variable names in
// wrangler.toml vars / secrets and in the harness (README's Configuration
// table lists them).
type Config struct {
	PublicBaseURL         string // PUBLIC_BASE_URL, e.g. https://pay.example.com
	AdminToken            string // ADMIN_TOKEN (secret); empty disables /admin
	LinkSecret            string // LINK_SECRET (secret): signs payment links, keys ids
	DataKey               string // DATA_KEY (secret): encrypts bank credentials at rest
	TelegramBotToken      string // TELEGRAM_BOT_TOKEN (secret)
	TelegramWebhookSecret string // TELEGRAM_WEBHOOK_SECRET (secret)
	TelegramAPIURL        string // TELEGRAM_API_URL
	ViberAuthToken        string // VIBER_AUTH_TOKEN (secret)
	ViberAPIURL           string // VIBER_API_URL
	SandboxBank           bool   // SANDBOX_BANK=1
	MonobankAPIURL        string // MONOBANK_API_URL
	LiqPayAPIURL          string // LIQPAY_API_URL
	CheckTTL              time.Duration
	// UpgradedFromKV (UPGRADED_FROM_KV, RFC 3339) is for a deployment
	// upgraded from the version that kept everything in KV, set to the time
	// of the upgrade: checks created before it have their state read from
	// KV until it is first written to the consistent store, and merchants,
	// operators and activation codes not found there are looked up in KV
	// and moved over. Unset: nothing was ever in KV, and nothing costs a
	// KV read for it.
	UpgradedFromKV time.Time
}

// Vars lists every variable the product reads, for CLIs and docs.
var Vars = []string{
	"PUBLIC_BASE_URL", "ADMIN_TOKEN", "LINK_SECRET", "DATA_KEY",
	"TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_SECRET", "TELEGRAM_API_URL",
	"VIBER_AUTH_TOKEN", "VIBER_API_URL", "SANDBOX_BANK",
	"MONOBANK_API_URL", "LIQPAY_API_URL", "CHECK_TTL", "UPGRADED_FROM_KV",
}

// LoadConfig reads the configuration through getenv (os.Getenv in the
// harness guest, cloudflare.Getenv on the Worker) and fills defaults.
func LoadConfig(getenv func(string) string) (Config, error) {
	c := Config{
		PublicBaseURL:         strings.TrimRight(getenv("PUBLIC_BASE_URL"), "/"),
		AdminToken:            getenv("ADMIN_TOKEN"),
		LinkSecret:            getenv("LINK_SECRET"),
		DataKey:               getenv("DATA_KEY"),
		TelegramBotToken:      getenv("TELEGRAM_BOT_TOKEN"),
		TelegramWebhookSecret: getenv("TELEGRAM_WEBHOOK_SECRET"),
		TelegramAPIURL:        apiURL(getenv("TELEGRAM_API_URL"), telegram.DefaultAPIURL),
		ViberAuthToken:        getenv("VIBER_AUTH_TOKEN"),
		ViberAPIURL:           apiURL(getenv("VIBER_API_URL"), viber.DefaultAPIURL),
		SandboxBank:           getenv("SANDBOX_BANK") == "1",
		MonobankAPIURL:        apiURL(getenv("MONOBANK_API_URL"), monobank.DefaultAPIURL),
		LiqPayAPIURL:          apiURL(getenv("LIQPAY_API_URL"), liqpay.DefaultAPIURL),
	}
	if v := getenv("CHECK_TTL"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 2*time.Minute || d > 12*time.Hour {
			return c, fmt.Errorf("config: CHECK_TTL %q: want a duration between 2m and 12h", v)
		}
		c.CheckTTL = d
	}
	if v := getenv("UPGRADED_FROM_KV"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return c, fmt.Errorf("config: UPGRADED_FROM_KV %q: want a time like 2026-12-04T00:00:00Z", v)
		}
		c.UpgradedFromKV = t
	}
	if c.LinkSecret == "" {
		return c, fmt.Errorf("config: LINK_SECRET is not set: payment links cannot be signed")
	}
	if c.PublicBaseURL == "" {
		return c, fmt.Errorf("config: PUBLIC_BASE_URL is not set: payment links need it")
	}
	return c, nil
}

// apiURL is an API base URL without a trailing slash, def when unset.
func apiURL(s, def string) string {
	if s = strings.TrimRight(s, "/"); s == "" {
		return def
	}
	return s
}
