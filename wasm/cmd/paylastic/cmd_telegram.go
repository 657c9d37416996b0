package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/paylastic/edge/core/telegram"
)

// telegramWebhook registers PUBLIC_BASE_URL/telegram/webhook with Telegram,
// with TELEGRAM_WEBHOOK_SECRET as the secret token and only the update
// types the bot handles; --info shows the webhook, --delete removes it.
// Flags override the environment.
func telegramWebhook(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	w := newWebhookFlags("telegram-webhook", stderr, webhookHelp{
		token: "bot token (default $TELEGRAM_BOT_TOKEN)",
		api:   "Bot API server (default $TELEGRAM_API_URL or " + telegram.DefaultAPIURL + ")",
		base:  "the product's public base URL (default $PUBLIC_BASE_URL)",
		info:  "show the current webhook and exit",
		del:   "remove the webhook",
	})
	fs := w.fs
	// Like the shared flags, the secret's default comes from the
	// environment after parsing, so that usage never prints it.
	secret := fs.String("secret", "", "webhook secret token (default $TELEGRAM_WEBHOOK_SECRET)")
	drop := fs.Bool("drop-pending", false, "discard updates waiting for delivery (with set or --delete)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: paylastic telegram-webhook [--info | --delete] [flags]\n\n"+
			"Without --info or --delete: setWebhook url=$PUBLIC_BASE_URL%s, secret_token=$TELEGRAM_WEBHOOK_SECRET,\n"+
			"allowed_updates=%s.\n\n", telegram.WebhookPath, strings.Join(telegram.AllowedUpdates, ","))
		fs.PrintDefaults()
	}
	if ok, err := w.parse(args, getenv, "TELEGRAM_BOT_TOKEN", "TELEGRAM_API_URL", telegram.DefaultAPIURL); !ok {
		return err
	}
	*secret = firstOf(*secret, getenv("TELEGRAM_WEBHOOK_SECRET"))
	c := &telegram.Client{Token: *w.token, APIURL: w.apiURL(), HTTP: webhookHTTP()}
	del := func() error { return c.DeleteWebhook(ctx, *drop) }
	set := func(base string) error {
		if !telegram.ValidSecret(*secret) {
			return errors.New("telegram-webhook: set TELEGRAM_WEBHOOK_SECRET (or --secret) to 1-256 characters of A-Z a-z 0-9 _ -, e.g. openssl rand -hex 32")
		}
		return c.SetWebhook(ctx, base, *secret, *drop)
	}
	return w.run(stdout, telegram.WebhookPath, del, set, func() error {
		wi, err := c.WebhookInfo(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "url:              %s\n", orNone(wi.URL))
		fmt.Fprintf(stdout, "pending updates:  %d\n", wi.PendingUpdateCount)
		if len(wi.AllowedUpdates) > 0 {
			fmt.Fprintf(stdout, "allowed updates:  %s\n", strings.Join(wi.AllowedUpdates, ", "))
		}
		if wi.MaxConnections > 0 {
			fmt.Fprintf(stdout, "max connections:  %d\n", wi.MaxConnections)
		}
		if wi.LastErrorDate != 0 {
			fmt.Fprintf(stdout, "last error:       %s %s\n", time.Unix(wi.LastErrorDate, 0).UTC().Format(time.RFC3339), wi.LastErrorMessage)
		}
		return nil
	})
}
