package main

import (
	"bytes"
	"context"
	"io"
	"maps"
	"strings"
	"testing"
)

// webhookCommand is a messenger's webhook command (telegramWebhook,
// viberWebhook): what the tests of both run the same way.
type webhookCommand func(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error

// runCommand runs cmd with env as its environment and returns all it
// printed.
func runCommand(t *testing.T, cmd webhookCommand, env map[string]string, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := cmd(context.Background(), args, func(k string) string { return env[k] }, &out, &errOut)
	return out.String() + errOut.String(), err
}

// envWith is env with k set to v.
func envWith(env map[string]string, k, v string) map[string]string {
	m := maps.Clone(env)
	m[k] = v
	return m
}

// commandCase is one run of a webhook command that must fail with an
// error mentioning want, or, with want "", print its usage (--help).
type commandCase struct {
	name string
	env  map[string]string
	args []string
	want string
}

// testCommandErrors runs each case of cmd; neither its output for --help
// nor any error shows secret (the bot's token).
func testCommandErrors(t *testing.T, cmd webhookCommand, secret string, tests []commandCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := runCommand(t, cmd, tt.env, tt.args...)
			if tt.want == "" {
				if err != nil || strings.Contains(out, secret) || !strings.Contains(out, "usage:") {
					t.Errorf("--help: %v\n%s", err, out)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want one mentioning %q\n%s", err, tt.want, out)
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("error leaks the token: %v", err)
			}
		})
	}
}
