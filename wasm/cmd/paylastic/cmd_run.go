package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/paylastic/edge/core/app"
	"github.com/paylastic/edge/core/kv"
	"github.com/paylastic/edge/wasm/devconsole"
	"github.com/paylastic/edge/wasm/host"
	"github.com/paylastic/edge/wasm/host/boltkv"
	"github.com/paylastic/edge/wasm/host/sqlitedb"
)

// envFlags collects repeated -env KEY=VALUE flags.
type envFlags map[string]string

func (e envFlags) String() string { return "" }
func (e envFlags) Set(s string) error {
	k, v, ok := strings.Cut(s, "=")
	if !ok {
		return fmt.Errorf("want KEY=VALUE, got %q", s)
	}
	e[k] = v
	return nil
}

func runCmd(args []string) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return run(ctx, args, runIO{stderr: os.Stderr})
}

// runIO is what run talks to besides its flags, so a test can run it in
// process: where the logs and the welcome go, and a call once it listens.
type runIO struct {
	stderr    io.Writer
	listening func(addr net.Addr) // may be nil
}

// run serves until ctx ends, then shuts down: the server drains, the cron
// pass stops and the KV file is closed before it returns, so the same data
// directory can be opened again at once.
func run(ctx context.Context, args []string, rio runIO) error {
	fs := flag.NewFlagSet("run", flag.ExitOnError)
	fs.SetOutput(rio.stderr)
	addr := fs.String("addr", ":8787", "listen address (as wrangler dev)")
	lan := fs.Bool("lan", false, "listen on this machine's LAN address and use it as PUBLIC_BASE_URL, so a phone on the same Wi-Fi can open the links and QR codes (make run LAN=1)")
	data := fs.String("data", "data", "data directory: the KV and consistent-store databases and generated local secrets")
	wasmPath := fs.String("wasm", "build/guest.wasm", "the compiled guest (make guest)")
	cacheDir := fs.String("cache", "build/wazero-cache", "wazero compilation cache directory")
	memory := fs.Bool("memory", false, "keep KV, the consistent store and generated secrets in memory: nothing is written to the data directory")
	fresh := fs.Bool("fresh", false, "a new guest instance for every request (as syumai's own Worker entry) instead of the pool of reused ones")
	maxInstances := fs.Int("max-instances", host.DefaultMaxInstances, "guest instances serving requests at once; more requests wait (up to 10 s) or get 503")
	logFormat := fs.String("log-format", "text", "log format: text or json (one object per line)")
	lag := fs.Duration("kv-lag", 0, "simulate Workers KV propagation delay between locations (e.g. 60s)")
	cron := fs.Duration("cron", time.Minute, "interval of the scheduled pass (0 disables it)")
	console := fs.Bool("console", true, "serve the dev console at /dev with fake Telegram and Viber APIs under /_fake/")
	poll := fs.Bool("telegram-poll", false, "long-poll the real bot of TELEGRAM_BOT_TOKEN (getUpdates) instead of waiting for webhooks")
	env := envFlags{}
	fs.Var(env, "env", "set a product variable, KEY=VALUE (repeatable); the process environment works too")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: paylastic run [flags]\n\nProduct variables (flags -env or process environment): %s\n\n", strings.Join(app.Vars, ", "))
		fs.PrintDefaults()
	}
	_ = fs.Parse(args)

	log, err := newLogger(rio.stderr, *logFormat)
	if err != nil {
		return err
	}
	if !*memory {
		if err := os.MkdirAll(*data, 0o700); err != nil {
			return fmt.Errorf("data directory: %w", err)
		}
	}
	listenAddr, publicHost := *addr, "localhost"
	if *lan {
		ip, err := lanIP()
		if err != nil {
			return err
		}
		listenAddr, publicHost = lanListen(*addr, ip), ip.String()
	}
	// Listen first: PUBLIC_BASE_URL needs the real port when -addr asks for
	// any (":0"), and a port in use fails before the slow guest compile.
	ln, err := net.Listen("tcp", listenAddr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", listenAddr, err)
	}
	defer ln.Close()
	secretsPath := filepath.Join(*data, "local-secrets.json")
	if *memory {
		secretsPath = "" // generated for this run only
	}
	vars, err := localEnv(secretsPath, publicHost, ln.Addr().String(), env)
	if err != nil {
		return err
	}
	realTelegram := vars["TELEGRAM_BOT_TOKEN"] != ""
	if *console {
		for k, v := range devconsole.FakeEnv(vars["PUBLIC_BASE_URL"]) {
			if vars[k] == "" && !(realTelegram && strings.HasPrefix(k, "TELEGRAM_")) {
				vars[k] = v
			}
		}
	}
	wasm, err := os.ReadFile(*wasmPath)
	if err != nil {
		return fmt.Errorf("read guest: %w (build it with: make guest)", err)
	}

	var store kv.Store
	var purge func() (int, error)
	if *memory {
		store = kv.NewMem(nil)
	} else {
		b, err := boltkv.Open(filepath.Join(*data, "kv.db"), nil)
		if err != nil {
			return err
		}
		defer b.Close()
		store, purge = b, b.Purge
	}
	var db *sql.DB // the consistent store's SQLite; nil: the harness's own in memory
	if !*memory {
		if db, err = sqlitedb.Open(ctx, filepath.Join(*data, "cas.db")); err != nil {
			return err
		}
		defer db.Close()
	}
	opts := host.Options{Wasm: wasm, CacheDir: *cacheDir, Env: vars, KV: store, SQL: db, Log: log, Fresh: *fresh, Limits: host.Limits{MaxInstances: *maxInstances}}
	if *lag > 0 {
		l := host.NewLagged(nil, *lag)
		opts.KV, opts.Locate = l.Routed(), func(r *http.Request) string { return r.Header.Get("X-Test-Location") }
		log.Warn("KV propagation delay simulated: state lives in memory", "lag", *lag)
	}
	start := time.Now()
	fmt.Fprintf(rio.stderr, "Compiling the guest (%d MiB) to machine code: a minute the first time, a moment once %s holds it...\n", len(wasm)>>20, *cacheDir)
	h, err := host.New(ctx, opts)
	if err != nil {
		return err
	}
	fmt.Fprintf(rio.stderr, "Guest ready in %s (compile %s).\n", time.Since(start).Round(100*time.Millisecond), h.CompileTime.Round(100*time.Millisecond))
	defer h.Close(context.Background())
	// Deferred in this order, the goroutines below are told to stop, then
	// waited for, before the guest and the KV file above are closed.
	ctx, stopBackground := context.WithCancel(ctx)
	var background sync.WaitGroup
	defer background.Wait()
	defer stopBackground()

	var handler http.Handler = h
	if *console {
		handler = devconsole.New(h, vars, log).Handler()
	}
	if *poll {
		if !realTelegram {
			return errors.New("-telegram-poll needs TELEGRAM_BOT_TOKEN of a real bot")
		}
		background.Go(func() {
			if err := devconsole.Poll(ctx, vars["TELEGRAM_API_URL"], vars["TELEGRAM_BOT_TOKEN"], vars["TELEGRAM_WEBHOOK_SECRET"], h, vars["PUBLIC_BASE_URL"], log); err != nil {
				log.Error("telegram poll", "err", err)
			}
		})
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	if *cron > 0 {
		background.Go(func() { runCron(ctx, h, *cron, purge, log) })
	}
	printWelcome(rio.stderr, vars, welcome{secrets: secretsPath, console: *console, fresh: *fresh, lan: *lan})
	if rio.listening != nil {
		rio.listening(ln.Addr())
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	// Serve returns as soon as Shutdown begins; Shutdown waits for the
	// requests in flight, which still use the guest and the KV file.
	shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shut); err != nil {
		// requests still running must not outlive the guest and the KV
		// file, which close when run returns
		_ = srv.Close()
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// runCron runs the guest's scheduled entry every interval, like a Cron Trigger.
func runCron(ctx context.Context, h *host.Harness, every time.Duration, purge func() (int, error), log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			if err := h.Scheduled(ctx, now); err != nil && ctx.Err() == nil { // not the pass cut short by stopping
				log.Error("scheduled pass", "err", err)
			}
			if purge != nil {
				if n, err := purge(); err != nil || n > 0 {
					log.Info("purged expired keys", "n", n, "err", err)
				}
			}
		}
	}
}

// localEnv builds the guest's environment: flags, then the process
// environment, then local defaults (PUBLIC_BASE_URL on publicHost and the
// port of addr). Secrets a developer did not set are generated once and
// kept in secretsPath, so links and sealed credentials survive a restart;
// with secretsPath "" (-memory) they live for this run only.
func localEnv(secretsPath, publicHost, addr string, flags envFlags) (map[string]string, error) {
	vars := map[string]string{}
	for _, k := range app.Vars {
		if v, ok := os.LookupEnv(k); ok {
			vars[k] = v
		}
	}
	for k, v := range flags {
		vars[k] = v
	}
	port := addr
	if i := strings.LastIndex(addr, ":"); i >= 0 {
		port = addr[i+1:]
	}
	def := map[string]string{"PUBLIC_BASE_URL": "http://" + net.JoinHostPort(publicHost, port), "SANDBOX_BANK": "1"}
	for k, v := range def {
		if vars[k] == "" {
			vars[k] = v
		}
	}
	secrets, err := localSecrets(secretsPath)
	if err != nil {
		return nil, err
	}
	for k, v := range secrets {
		if vars[k] == "" {
			vars[k] = v
		}
	}
	return vars, nil
}

func localSecrets(path string) (map[string]string, error) {
	s := map[string]string{}
	if path == "" {
		// nothing to read or write
	} else if b, err := os.ReadFile(path); err == nil {
		if err := json.Unmarshal(b, &s); err != nil {
			return nil, fmt.Errorf("read %s: %w", path, err)
		}
	}
	changed := false
	for _, k := range []string{"ADMIN_TOKEN", "LINK_SECRET", "DATA_KEY", "TELEGRAM_WEBHOOK_SECRET"} {
		if s[k] == "" {
			b := make([]byte, 16)
			_, _ = rand.Read(b)
			s[k] = "dev-" + hex.EncodeToString(b)
			changed = true
		}
	}
	if changed && path != "" {
		b, _ := json.MarshalIndent(s, "", "  ")
		if err := os.WriteFile(path, b, 0o600); err != nil {
			return nil, fmt.Errorf("write %s: %w", path, err)
		}
	}
	return s, nil
}

// welcome is what printWelcome says besides the variables.
type welcome struct {
	secrets string // where the generated secrets are kept; "": this run only
	console bool
	fresh   bool
	lan     bool
}

// printWelcome puts the URL a newcomer opens first, on the first line.
func printWelcome(w io.Writer, vars map[string]string, o welcome) {
	base := vars["PUBLIC_BASE_URL"]
	var b strings.Builder
	if o.console {
		fmt.Fprintf(&b, "\n  Open the dev console: %s/dev   (the operator's chat and a demo merchant in one click)\n\n", base)
	} else {
		fmt.Fprintf(&b, "\n  Listening on %s\n\n", base)
	}
	mode := "a pool of guest instances, each serving one request at a time"
	if o.fresh {
		mode = "a fresh guest instance per request"
	}
	fmt.Fprintf(&b, "PayLastic Edge is running locally (wazero harness, %s).\n\n", mode)
	fmt.Fprintf(&b, "  health       %s/healthz\n", base)
	fmt.Fprintf(&b, "  admin API    curl -H \"Authorization: Bearer %s\" -H \"Content-Type: application/json\" -d '{\"name\":\"Кавʼярня Ранок\"}' %s/admin/merchants\n", vars["ADMIN_TOKEN"], base)
	if vars["SANDBOX_BANK"] == "1" {
		b.WriteString("  sandbox bank on: card 4242 4242 4242 4242 pays, 4000 0000 0000 0002 is declined\n")
	}
	if o.lan {
		b.WriteString("  LAN: a phone on the same Wi-Fi can scan the QR codes and pay on the sandbox page (plain http: test cards only)\n")
	}
	where := o.secrets
	if where == "" {
		where = "generated for this run: -memory writes nothing to disk"
	}
	fmt.Fprintf(&b, "\nThe admin token is local (%s; set ADMIN_TOKEN to choose your own). Ctrl-C stops.\n", where)
	fmt.Fprint(w, b.String())
}

// newLogger is the harness's logger: slog text or JSON on w. Guest records
// pass through it too (host.Options.Log), so each is printed once.
func newLogger(w io.Writer, format string) (*slog.Logger, error) {
	opts := &slog.HandlerOptions{Level: slog.LevelInfo}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("-log-format %q: want text or json", format)
}
