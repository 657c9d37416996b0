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

	"github.com/paylastic/edge/core/telegram"
)

func init() {
	commands["telegram-webhook"] = command{
		summary: "register (setWebhook), show (--info) or remove (--delete) the Telegram webhook",
		run: func(args []string) error {
			return telegramWebhook(context.Background(), args, os.Getenv, os.Stdout, os.Stderr)
		},
	}
}

// telegramWebhook registers PUBLIC_BASE_URL/telegram/webhook with Telegram,
// with TELEGRAM_WEBHOOK_SECRET as the secret token and only the update
// types the bot handles; --info shows the webhook, --delete removes it.
// Flags override the environment.
func telegramWebhook(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("telegram-webhook", flag.ContinueOnError)
	fs.SetOutput(stderr)
	// Defaults come from the environment after parsing, so that usage
	// never prints a secret.
	token := fs.String("token", "", "bot token (default $TELEGRAM_BOT_TOKEN)")
	secret := fs.String("secret", "", "webhook secret token (default $TELEGRAM_WEBHOOK_SECRET)")
	api := fs.String("api", "", "Bot API server (default $TELEGRAM_API_URL or "+telegram.DefaultAPIURL+")")
	base := fs.String("base", "", "the product's public base URL (default $PUBLIC_BASE_URL)")
	info := fs.Bool("info", false, "show the current webhook and exit")
	del := fs.Bool("delete", false, "remove the webhook")
	drop := fs.Bool("drop-pending", false, "discard updates waiting for delivery (with set or --delete)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: paylastic telegram-webhook [--info | --delete] [flags]\n\n"+
			"Without --info or --delete: setWebhook url=$PUBLIC_BASE_URL%s, secret_token=$TELEGRAM_WEBHOOK_SECRET,\n"+
			"allowed_updates=%s.\n\n", telegram.WebhookPath, strings.Join(telegram.AllowedUpdates, ","))
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	*token = firstOf(*token, getenv("TELEGRAM_BOT_TOKEN"))
	*secret = firstOf(*secret, getenv("TELEGRAM_WEBHOOK_SECRET"))
	*api = firstOf(*api, getenv("TELEGRAM_API_URL"), telegram.DefaultAPIURL)
	*base = firstOf(*base, getenv("PUBLIC_BASE_URL"))
	if fs.NArg() > 0 {
		return fmt.Errorf("telegram-webhook: unexpected argument %q", fs.Arg(0))
	}
	if *info && *del {
		return errors.New("telegram-webhook: --info and --delete exclude each other")
	}
	if *token == "" {
		return errors.New("telegram-webhook: set TELEGRAM_BOT_TOKEN or --token")
	}
	c := &telegram.Client{Token: *token, APIURL: strings.TrimRight(*api, "/"), HTTP: &http.Client{Timeout: 30 * time.Second}}
	switch {
	case *info:
	case *del:
		if err := c.DeleteWebhook(ctx, *drop); err != nil {
			return err
		}
		fmt.Fprintln(stdout, "webhook deleted")
	default:
		b := strings.TrimRight(*base, "/")
		if b == "" {
			return errors.New("telegram-webhook: set PUBLIC_BASE_URL or --base")
		}
		if !telegram.ValidSecret(*secret) {
			return errors.New("telegram-webhook: set TELEGRAM_WEBHOOK_SECRET (or --secret) to 1-256 characters of A-Z a-z 0-9 _ -, e.g. openssl rand -hex 32")
		}
		if err := c.SetWebhook(ctx, b, *secret, *drop); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "webhook set: %s%s\n", b, telegram.WebhookPath)
	}
	wi, err := c.WebhookInfo(ctx)
	if err != nil {
		return err
	}
	url := wi.URL
	if url == "" {
		url = "(none)"
	}
	fmt.Fprintf(stdout, "url:              %s\n", url)
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
}

func firstOf(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
