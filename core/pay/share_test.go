package pay

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/merchant"
	"github.com/paylastic/edge/internal/testsupport"
)

// TestShareGolden renders the share page of a check in every state a
// cashier may open it in, in both languages (?lang=, as the bot's button
// asks).
func TestShareGolden(t *testing.T) {
	failed := check.Attempt{Provider: "sandbox", ProviderRef: "pay1", Status: check.AttemptFailure, Reason: "Недостатньо коштів", Created: testsupport.T0}
	tests := []struct {
		name  string
		state *check.State // nil: nobody touched the check
	}{
		{"share_open", nil},
		{"share_failed", &check.State{Status: check.Open, Attempts: []check.Attempt{failed}}},
		{"share_paid", &check.State{Status: check.Paid}},
		{"share_refunded", &check.State{Status: check.Refunded}},
		{"share_expired", &check.State{Status: check.Expired}},
		{"share_cancelled", &check.State{Status: check.Cancelled}},
	}
	for _, tt := range tests {
		for _, lang := range []string{"uk", "en"} {
			t.Run(tt.name+"."+lang, func(t *testing.T) {
				w := newWorld(t)
				w.pages.BaseURL = "https://pay.example"
				ref, chk := w.newCheck("12,50")
				if tt.state != nil {
					w.setState(chk.Ref(), *tt.state)
				}
				rec := w.serve("GET", "/p/"+ref+"/share?lang="+lang, "uk")
				if rec.Code != http.StatusOK {
					t.Errorf("GET share = %d, want 200", rec.Code)
				}
				if got := rec.Header().Get("Content-Language"); got != lang {
					t.Errorf("Content-Language = %q, want %q", got, lang)
				}
				body := rec.Body.String()
				if offers := strings.Contains(body, "sms:?&amp;body="); offers != sendable(stateName(tt.state)) {
					t.Errorf("page offers to send: %v, want %v", offers, !offers)
				}
				testsupport.Golden(t, tt.name+"."+lang, body)
			})
		}
	}
}

func stateName(st *check.State) string {
	if st == nil {
		return "open"
	}
	return string(st.Status)
}

// TestShareLinksGolden holds the message and every link to the byte, in
// both languages: the text a buyer receives.
func TestShareLinksGolden(t *testing.T) {
	for _, lang := range []string{"uk", "en"} {
		t.Run(lang, func(t *testing.T) {
			s := shareOf(lang, "Кавʼярня «Ранок» & Co", "12,50 грн", "https://pay.example/p/TOKEN")
			got := "text:\n" + s.Text + "\n\nsubject: " + s.Subject +
				"\n\nsms: " + s.SMS + "\nmailto: " + s.Mail + "\ntelegram: " + s.Telegram + "\nviber: " + s.Viber + "\n"
			testsupport.Golden(t, "share_links."+lang, got)
		})
	}
}

// TestShareLinksCarryTheText: each link, decoded the way its app decodes
// it, gives back the message: the link, the shop, the amount and the
// warning, with spaces as spaces (no '+') and an '&' in the shop's name
// not cutting the body short.
func TestShareLinksCarryTheText(t *testing.T) {
	const link = "https://pay.example/p/TOKEN"
	s := shareOf("uk", "Кавʼярня «Ранок» & Co", "12,50 грн", link)
	whole := s.Text
	for _, want := range []string{link, "Кавʼярня «Ранок» & Co", "12,50 грн", "Оплачуйте лише на власному телефоні"} {
		if !strings.Contains(whole, want) {
			t.Errorf("message %q does not say %q", whole, want)
		}
	}
	query := func(raw, after string) url.Values {
		t.Helper()
		_, q, ok := strings.Cut(raw, after)
		if !ok {
			t.Fatalf("%s: no %q", raw, after)
		}
		v, err := url.ParseQuery(q)
		if err != nil {
			t.Fatalf("%s: %v", raw, err)
		}
		return v
	}
	tests := []struct {
		name, raw, prefix, param, want string
	}{
		{"sms", s.SMS, "sms:?", "body", whole},
		{"mailto body", s.Mail, "mailto:?", "body", whole},
		{"mailto subject", s.Mail, "mailto:?", "subject", s.Subject},
		{"telegram url", s.Telegram, "https://t.me/share/url?", "url", link},
		{"telegram text", s.Telegram, "https://t.me/share/url?", "text", strings.Replace(whole, link+"\n", "", 1)},
		{"viber", s.Viber, "viber://forward?", "text", whole},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.HasPrefix(tt.raw, tt.prefix) {
				t.Fatalf("link %q does not start with %q", tt.raw, tt.prefix)
			}
			if strings.Contains(tt.raw, "+") {
				t.Errorf("link %q has a '+': mail and SMS apps keep it as a plus", tt.raw)
			}
			if got := query(tt.raw, "?").Get(tt.param); got != tt.want {
				t.Errorf("%s = %q, want %q", tt.param, got, tt.want)
			}
		})
	}
}

// TestShareRefused: the share page of a link that is not ours is the
// payment page's 404; of a disabled merchant's open check, its 410.
func TestShareRefused(t *testing.T) {
	w := newWorld(t)
	ref, _ := w.newCheck("12,50")
	if rec := w.serve("GET", "/p/forged/share", "uk"); rec.Code != http.StatusNotFound {
		t.Errorf("forged link: %d, want 404", rec.Code)
	}
	if _, err := w.checks.Merchants.Update(context.Background(), w.m.ID, func(m *merchant.Merchant) error {
		m.Disabled = w.clock.Now()
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if rec := w.serve("GET", "/p/"+ref+"/share", "uk"); rec.Code != http.StatusGone {
		t.Errorf("disabled merchant: %d, want 410", rec.Code)
	}
}

func TestShareMessagesComplete(t *testing.T) { testsupport.CatalogComplete(t, shareMessages) }
