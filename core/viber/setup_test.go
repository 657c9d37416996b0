package viber

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/paylastic/edge/internal/testsupport"
)

func TestSetWebhook(t *testing.T) {
	r := newRig(t)
	c := r.hook.Client
	types, err := c.SetWebhook(context.Background(), "https://pay.example.com/")
	if err != nil {
		t.Fatal(err)
	}
	wh := r.fake.Webhook()
	if wh.URL != "https://pay.example.com/viber/webhook" || !wh.SendName || wh.SendPhoto || !slices.Equal(wh.EventTypes, EventTypes) || !slices.Equal(types, EventTypes) {
		t.Errorf("webhook %+v, answered types %v", wh, types)
	}
	testsupport.Golden(t, "set_webhook", "POST set_webhook\n"+indent(t, r.calls("set_webhook")[0].Request)+"\n")

	a, err := c.AccountInfo(context.Background())
	if err != nil || a.Webhook != wh.URL || !slices.Equal(a.EventTypes, EventTypes) || a.Name == "" {
		t.Errorf("AccountInfo = %+v, %v", a, err)
	}
	if err := c.DeleteWebhook(context.Background()); err != nil || r.fake.Webhook().URL != "" {
		t.Errorf("DeleteWebhook: %v, webhook %+v", err, r.fake.Webhook())
	}
	if string(r.calls("set_webhook")[1].Request) != `{"url":""}` {
		t.Errorf("delete request %s", r.calls("set_webhook")[1].Request)
	}
	if _, err := c.SetWebhook(context.Background(), "http://pay.example.com"); err == nil || !strings.Contains(err.Error(), "HTTPS") {
		t.Errorf("http webhook: %v", err)
	}
}

// TestSetWebhookVerified: Viber checks the new URL with a signed "webhook"
// callback; the product's handler answers it 200, so the webhook is set.
func TestSetWebhookVerified(t *testing.T) {
	r := newRig(t)
	srv := newTLSHook(t, r)
	r.fake.VerifyClient = srv.Client()
	if _, err := r.hook.Client.SetWebhook(context.Background(), srv.URL); err != nil {
		t.Fatalf("SetWebhook with the check: %v\nlogs:\n%s", err, r.logs)
	}
	r.hook.Token = "another token"
	if _, err := r.hook.Client.SetWebhook(context.Background(), srv.URL); err == nil {
		t.Error("the webhook was set though the product refused the check")
	}
}

// newTLSHook serves the rig's webhook over https, as Viber requires.
func newTLSHook(t *testing.T, r *rig) *httptest.Server {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		h := *r.hook
		h.ServeHTTP(w, req)
	}))
	t.Cleanup(srv.Close)
	return srv
}
