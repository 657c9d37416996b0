package telegram

import (
	"net"
	"net/url"
	"slices"
)

// Webhook is the webhook configuration the bot set.
type Webhook struct {
	URL                string   // "" when no webhook is set
	SecretToken        string   // sent back in X-Telegram-Bot-Api-Secret-Token
	AllowedUpdates     []string // nil when never given: all types but chat_member and reactions
	MaxConnections     int      // 40 unless given
	IPAddress          string
	HasCertificate     bool // a certificate was uploaded
	DropPendingUpdates bool // as passed to the last setWebhook or deleteWebhook
}

// Webhook returns the current webhook configuration.
func (s *Server) Webhook() Webhook {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.webhook
	w.AllowedUpdates = slices.Clone(w.AllowedUpdates)
	return w
}

// described is a successful answer that also carries a description, as
// setWebhook's {"ok":true,"result":true,"description":"Webhook was set"}.
type described struct {
	result      any
	description string
}

// setWebhook implements https://core.telegram.org/bots/api#setwebhook. The
// URL must be HTTPS on port 443, 80, 88 or 8443, except that loopback hosts
// (localhost, 127.0.0.1, ::1) may use http and any port, for local runs.
// allowed_updates, when omitted, keeps the previous list.
func (s *Server) setWebhook(c *call) (any, *apiError) {
	raw := c.params.str("url")
	if raw == "" {
		return s.deleteWebhook(c)
	}
	if aerr := checkWebhookURL(raw); aerr != nil {
		return nil, aerr
	}
	secret := c.params.str("secret_token")
	if !validSecret(secret) {
		return nil, errSecretToken
	}
	allowed, given, aerr := allowedUpdates(c.params)
	if aerr != nil {
		return nil, aerr
	}
	maxConn := 40
	if n, ok := c.params.integer("max_connections"); ok && n > 0 {
		maxConn = int(min(n, 100))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.webhook
	w := Webhook{
		URL: raw, SecretToken: secret, AllowedUpdates: old.AllowedUpdates, MaxConnections: maxConn,
		IPAddress: c.params.str("ip_address"), HasCertificate: c.part("certificate") != nil,
		DropPendingUpdates: c.params.boolean("drop_pending_updates"),
	}
	if given {
		w.AllowedUpdates = allowed
	}
	if w.DropPendingUpdates {
		s.updates = nil
	}
	s.webhook = w
	if old.URL == raw {
		return described{true, "Webhook is already set"}, nil
	}
	return described{true, "Webhook was set"}, nil
}

// deleteWebhook implements https://core.telegram.org/bots/api#deletewebhook.
func (s *Server) deleteWebhook(c *call) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	drop := c.params.boolean("drop_pending_updates")
	if drop {
		s.updates = nil
	}
	wasSet := s.webhook.URL != ""
	s.webhook = Webhook{AllowedUpdates: s.webhook.AllowedUpdates, DropPendingUpdates: drop}
	if wasSet {
		return described{true, "Webhook was deleted"}, nil
	}
	return described{true, "Webhook is already deleted"}, nil
}

// getWebhookInfo implements https://core.telegram.org/bots/api#getwebhookinfo.
func (s *Server) getWebhookInfo(*call) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	info := wireWebhookInfo{URL: s.webhook.URL, PendingUpdateCount: len(s.updates)}
	if s.webhook.URL != "" {
		info.HasCustomCertificate = s.webhook.HasCertificate
		info.IPAddress = s.webhook.IPAddress
		info.MaxConnections = s.webhook.MaxConnections
		info.AllowedUpdates = slices.Clone(s.webhook.AllowedUpdates)
	}
	return info, nil
}

func checkWebhookURL(raw string) *apiError {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return errWebhookHTTPS
	}
	host := u.Hostname()
	if ip := net.ParseIP(host); host == "localhost" || (ip != nil && ip.IsLoopback()) {
		if u.Scheme != "http" && u.Scheme != "https" {
			return errWebhookHTTPS
		}
		return nil
	}
	if u.Scheme != "https" {
		return errWebhookHTTPS
	}
	switch u.Port() {
	case "", "443", "80", "88", "8443":
		return nil
	}
	return errWebhookPort
}

// validSecret reports whether a secret_token is empty or 1-256 of A-Z a-z 0-9 _ -.
func validSecret(s string) bool {
	if len(s) > 256 {
		return false
	}
	for _, c := range []byte(s) {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// allowedUpdates reads allowed_updates: a JSON array of strings.
func allowedUpdates(p params) (list []string, given bool, aerr *apiError) {
	v, ok, err := p.json("allowed_updates")
	if !ok {
		return nil, false, nil
	}
	list = []string{}
	if err != nil || jsonRoundTrip(v, &list) != nil {
		return nil, false, errAllowedUpdates
	}
	return list, true, nil
}
