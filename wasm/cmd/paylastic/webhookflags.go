package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// webhookFlags are the flags and the flow the messengers' webhook commands
// share: --token, --api and --base, which fall back to the environment after
// parsing (so that usage never prints a secret), and --info and --delete,
// which choose what to do.
type webhookFlags struct {
	cmd              string // the command's name, which begins its errors
	fs               *flag.FlagSet
	token, api, base *string
	info, del        *bool
}

// webhookHelp is the help of the shared flags, each saying where it falls
// back to.
type webhookHelp struct {
	token, api, base, info, del string
}

func newWebhookFlags(cmd string, stderr io.Writer, h webhookHelp) *webhookFlags {
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return &webhookFlags{
		cmd:   cmd,
		fs:    fs,
		token: fs.String("token", "", h.token),
		api:   fs.String("api", "", h.api),
		base:  fs.String("base", "", h.base),
		info:  fs.Bool("info", false, h.info),
		del:   fs.Bool("delete", false, h.del),
	}
}

// parse parses args and fills the shared flags left empty from the
// environment: the token from $tokenEnv, the API from $apiEnv or apiDefault,
// the base from $PUBLIC_BASE_URL. It returns false with a nil error when
// only the help was asked for.
func (w *webhookFlags) parse(args []string, getenv func(string) string, tokenEnv, apiEnv, apiDefault string) (bool, error) {
	if err := w.fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return false, nil
		}
		return false, err
	}
	*w.token = firstOf(*w.token, getenv(tokenEnv))
	*w.api = firstOf(*w.api, getenv(apiEnv), apiDefault)
	*w.base = firstOf(*w.base, getenv("PUBLIC_BASE_URL"))
	if w.fs.NArg() > 0 {
		return false, fmt.Errorf("%s: unexpected argument %q", w.cmd, w.fs.Arg(0))
	}
	if *w.info && *w.del {
		return false, fmt.Errorf("%s: --info and --delete exclude each other", w.cmd)
	}
	if *w.token == "" {
		return false, fmt.Errorf("%s: set %s or --token", w.cmd, tokenEnv)
	}
	return true, nil
}

// apiURL is the API's base URL without a trailing slash.
func (w *webhookFlags) apiURL() string { return strings.TrimRight(*w.api, "/") }

// webhookHTTP is the HTTP client the webhook commands call the API with.
func webhookHTTP() *http.Client { return &http.Client{Timeout: 30 * time.Second} }

// run does what the flags ask: with --delete it calls del, without --info or
// --delete it calls set with the base URL (no trailing slash), where the
// webhook is at path; then show prints the webhook as the messenger has it.
func (w *webhookFlags) run(stdout io.Writer, path string, del func() error, set func(base string) error, show func() error) error {
	switch {
	case *w.info:
	case *w.del:
		if err := del(); err != nil {
			return err
		}
		fmt.Fprintln(stdout, "webhook deleted")
	default:
		b := strings.TrimRight(*w.base, "/")
		if b == "" {
			return fmt.Errorf("%s: set PUBLIC_BASE_URL or --base", w.cmd)
		}
		if err := set(b); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "webhook set: %s%s\n", b, path)
	}
	return show()
}

// orNone is a webhook URL to print: url, or "(none)" when there is none.
func orNone(url string) string {
	if url == "" {
		return "(none)"
	}
	return url
}

func firstOf(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
