//go:build js && wasm

package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"runtime/debug"
	"time"

	"github.com/paylastic/edge/core/app"
	"github.com/paylastic/edge/core/kv"
	"github.com/paylastic/edge/worker/cfkv"
	"github.com/syumai/workers/cloudflare"
	"github.com/syumai/workers/cloudflare/cron"
	"github.com/syumai/workers/cloudflare/fetch"
)

// kvBinding is the KV namespace binding's name in wrangler.toml (DESIGN §6).
const kvBinding = "KV"

// serve answers one request: the product's handler, wrapped by the test
// routes of a -tags workertest build (testroutes.go; nothing otherwise).
func serve(w http.ResponseWriter, r *http.Request) {
	store, err := bindKV(r)
	if err != nil {
		misconfigured(w, err)
		return
	}
	a, err := build(store)
	if err != nil {
		misconfigured(w, err)
		return
	}
	buffered(withTestRoutes(a.Handler(), store)).ServeHTTP(w, r)
}

// scheduled is the Cron Trigger's entry. It never returns an error: syumai's
// cron package turns one into a panic in a goroutine, which kills the Go
// instance before the event's promise settles. Failures are logged instead,
// and the next pass (every 5 minutes) retries what is left.
func scheduled(ctx context.Context) (err error) {
	log := logger()
	defer func() {
		if v := recover(); v != nil {
			log.Error("panic in scheduled", "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
		}
	}()
	now := time.Now().UTC()
	ev, err := cron.NewEvent(ctx)
	if err == nil && !ev.ScheduledTime.IsZero() {
		now = ev.ScheduledTime
	}
	store, err := cfkv.New(kvBinding)
	if err != nil {
		log.Error("scheduled pass", "err", err)
		return nil
	}
	a, err := build(store)
	if err != nil {
		log.Error("scheduled pass", "err", err)
		return nil
	}
	if err := a.Scheduled(ctx, now); err != nil {
		log.Error("scheduled pass failed", "err", err)
	}
	return nil
}

// build makes the product for this request or cron event from the Worker's
// vars and secrets.
func build(store kv.Store) (*app.App, error) {
	cfg, err := app.LoadConfig(cloudflare.Getenv)
	if err != nil {
		return nil, err
	}
	return app.New(cfg, app.Deps{
		KV: store,
		// Go's own js/wasm transport sets a credentials field that Workers
		// reject; syumai's client calls the Workers fetch directly.
		HTTP: fetch.NewClient().HTTPClient(fetch.RedirectModeFollow),
		Now:  time.Now,
		Rand: rand.Reader, // crypto.getRandomValues
		Log:  logger(),
	}), nil
}

// misconfigured answers 500 when the Worker cannot start the product: a
// missing binding or variable. The message names the variable, never a value.
func misconfigured(w http.ResponseWriter, err error) {
	logger().Error("configuration", "err", err)
	http.Error(w, "server misconfigured: "+err.Error(), http.StatusInternalServerError)
}

// logger writes to stderr, which the Workers runtime turns into console
// output (wrangler tail, Workers Logs).
func logger() *slog.Logger { return slog.New(slog.NewTextHandler(os.Stderr, nil)) }
