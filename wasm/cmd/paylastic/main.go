// Command paylastic is the developer's tool: it runs the product locally on
// the wazero harness ("run") and talks to the messengers for a deploying
// developer (webhook registration). Each subcommand lives in its own file;
// commands below is the one list of them.
package main

import (
	"context"
	"fmt"
	"os"
	"sort"
)

type command struct {
	summary string
	run     func(args []string) error
}

// commands returns every subcommand by name. It is built where it is used,
// so the list of what the tool can do is read in one place.
func commands() map[string]command {
	return map[string]command{
		"run": {
			summary: "run the product locally on the wazero harness (make run)",
			run:     runCmd,
		},
		"telegram-webhook": {
			summary: "register (setWebhook), show (--info) or remove (--delete) the Telegram webhook",
			run: func(args []string) error {
				return telegramWebhook(context.Background(), args, os.Getenv, os.Stdout, os.Stderr)
			},
		},
		"viber-webhook": {
			summary: "register (set_webhook), show (--info) or remove (--delete) the Viber webhook",
			run: func(args []string) error {
				return viberWebhook(context.Background(), args, os.Getenv, os.Stdout, os.Stderr)
			},
		},
	}
}

func main() {
	cmds := commands()
	if len(os.Args) < 2 || os.Args[1] == "-h" || os.Args[1] == "--help" || os.Args[1] == "help" {
		usage(cmds)
		return
	}
	c, ok := cmds[os.Args[1]]
	if !ok {
		fmt.Fprintf(os.Stderr, "paylastic: unknown command %q\n\n", os.Args[1])
		usage(cmds)
		os.Exit(2)
	}
	if err := c.run(os.Args[2:]); err != nil {
		fmt.Fprintln(os.Stderr, "paylastic:", err)
		os.Exit(1)
	}
}

func usage(commands map[string]command) {
	fmt.Fprintln(os.Stderr, "usage: paylastic <command> [flags]\n\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(os.Stderr, "  %-18s %s\n", n, commands[n].summary)
	}
}
