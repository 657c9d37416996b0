package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/paylastic/edge/core/viber"
)

// viberWebhook registers PUBLIC_BASE_URL/viber/webhook with Viber for the
// callbacks the bot handles; --info shows the account and its webhook,
// --delete removes the webhook. Flags override the environment.
//
// Viber checks a new webhook at once with a signed callback, so the product
// must already be deployed at that URL with the same VIBER_AUTH_TOKEN.
func viberWebhook(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	w := newWebhookFlags("viber-webhook", stderr, webhookHelp{
		token: "bot auth token (default $VIBER_AUTH_TOKEN)",
		api:   "REST Bot API (default $VIBER_API_URL or " + viber.DefaultAPIURL + ")",
		base:  "the product's public base URL, https (default $PUBLIC_BASE_URL)",
		info:  "show the account and its webhook and exit",
		del:   "remove the webhook (this also closes one-on-one chats with the bot)",
	})
	fs := w.fs
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: paylastic viber-webhook [--info | --delete] [flags]\n\n"+
			"Without --info or --delete: set_webhook url=$PUBLIC_BASE_URL%s, event_types=%s,\n"+
			"send_name=true. The product must already answer there with the same auth token.\n\n",
			viber.WebhookPath, strings.Join(viber.EventTypes, ","))
		fs.PrintDefaults()
	}
	if ok, err := w.parse(args, getenv, "VIBER_AUTH_TOKEN", "VIBER_API_URL", viber.DefaultAPIURL); !ok {
		return err
	}
	c := &viber.Client{Token: *w.token, APIURL: w.apiURL(), HTTP: webhookHTTP()}
	del := func() error { return c.DeleteWebhook(ctx) }
	set := func(base string) error {
		if !strings.HasPrefix(base, "https://") {
			return fmt.Errorf("viber-webhook: the base must be an HTTPS URL with a certificate from a public CA, not %q", base)
		}
		_, err := c.SetWebhook(ctx, base)
		return err
	}
	return w.run(stdout, viber.WebhookPath, del, set, func() error {
		a, err := c.AccountInfo(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "account:          %s (%s)\n", a.Name, a.URI)
		fmt.Fprintf(stdout, "url:              %s\n", orNone(a.Webhook))
		if len(a.EventTypes) > 0 {
			fmt.Fprintf(stdout, "event types:      %s\n", strings.Join(a.EventTypes, ", "))
		}
		fmt.Fprintf(stdout, "subscribers:      %d\n", a.SubscribersCount)
		return nil
	})
}
