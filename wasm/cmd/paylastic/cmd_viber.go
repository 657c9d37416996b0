package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/paylastic/edge/core/viber"
)

func init() {
	commands["viber-webhook"] = command{
		summary: "register (set_webhook), show (--info) or remove (--delete) the Viber webhook",
		run: func(args []string) error {
			return viberWebhook(context.Background(), args, os.Getenv, os.Stdout, os.Stderr)
		},
	}
}

// viberWebhook registers PUBLIC_BASE_URL/viber/webhook with Viber for the
// callbacks the bot handles; --info shows the account and its webhook,
// --delete removes the webhook. Flags override the environment.
//
// Viber checks a new webhook at once with a signed callback, so the product
// must already be deployed at that URL with the same VIBER_AUTH_TOKEN.
func viberWebhook(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("viber-webhook", flag.ContinueOnError)
	fs.SetOutput(stderr)
	// Defaults come from the environment after parsing, so that usage
	// never prints a secret.
	token := fs.String("token", "", "bot auth token (default $VIBER_AUTH_TOKEN)")
	api := fs.String("api", "", "REST Bot API (default $VIBER_API_URL or "+viber.DefaultAPIURL+")")
	base := fs.String("base", "", "the product's public base URL, https (default $PUBLIC_BASE_URL)")
	info := fs.Bool("info", false, "show the account and its webhook and exit")
	del := fs.Bool("delete", false, "remove the webhook (this also closes one-on-one chats with the bot)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: paylastic viber-webhook [--info | --delete] [flags]\n\n"+
			"Without --info or --delete: set_webhook url=$PUBLIC_BASE_URL%s, event_types=%s,\n"+
			"send_name=true. The product must already answer there with the same auth token.\n\n",
			viber.WebhookPath, strings.Join(viber.EventTypes, ","))
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	*token = firstOf(*token, getenv("VIBER_AUTH_TOKEN"))
	*api = firstOf(*api, getenv("VIBER_API_URL"), viber.DefaultAPIURL)
	*base = firstOf(*base, getenv("PUBLIC_BASE_URL"))
	if fs.NArg() > 0 {
		return fmt.Errorf("viber-webhook: unexpected argument %q", fs.Arg(0))
	}
	if *info && *del {
		return errors.New("viber-webhook: --info and --delete exclude each other")
	}
	if *token == "" {
		return errors.New("viber-webhook: set VIBER_AUTH_TOKEN or --token")
	}
	c := &viber.Client{Token: *token, APIURL: strings.TrimRight(*api, "/"), HTTP: &http.Client{Timeout: 30 * time.Second}}
	switch {
	case *info:
	case *del:
		if err := c.DeleteWebhook(ctx); err != nil {
			return err
		}
		fmt.Fprintln(stdout, "webhook deleted")
	default:
		b := strings.TrimRight(*base, "/")
		if b == "" {
			return errors.New("viber-webhook: set PUBLIC_BASE_URL or --base")
		}
		if !strings.HasPrefix(b, "https://") {
			return fmt.Errorf("viber-webhook: the base must be an HTTPS URL with a certificate from a public CA, not %q", b)
		}
		if _, err := c.SetWebhook(ctx, b); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "webhook set: %s%s\n", b, viber.WebhookPath)
	}
	a, err := c.AccountInfo(ctx)
	if err != nil {
		return err
	}
	url := a.Webhook
	if url == "" {
		url = "(none)"
	}
	fmt.Fprintf(stdout, "account:          %s (%s)\n", a.Name, a.URI)
	fmt.Fprintf(stdout, "url:              %s\n", url)
	if len(a.EventTypes) > 0 {
		fmt.Fprintf(stdout, "event types:      %s\n", strings.Join(a.EventTypes, ", "))
	}
	fmt.Fprintf(stdout, "subscribers:      %d\n", a.SubscribersCount)
	return nil
}
