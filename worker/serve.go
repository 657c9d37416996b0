//go:build js && wasm

package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"net/http"
	"runtime/debug"
	"sync"
	"syscall/js"
	"time"

	"github.com/paylastic/edge/core/app"
	"github.com/paylastic/edge/worker/cfkv"
	"github.com/paylastic/edge/worker/d1"
	"github.com/paylastic/edge/worker/jsfetch"
	"github.com/syumai/workers/cloudflare"
)

// kvBinding is the KV namespace binding's name in wrangler.toml.
const kvBinding = "KV"

// serve answers one request: the product's handler, behind the test
// routes of a -tags workertest build (testroutes.go; nothing otherwise).
func serve(w http.ResponseWriter, r *http.Request) {
	a, err := product()
	if err != nil {
		misconfigured(w, err)
		return
	}
	withTestRoutes(a.Handler()).ServeHTTP(w, r)
}

// scheduled is the Cron Trigger's entry. Failures are logged, and the next
// pass (every 5 minutes) retries what is left.
func scheduled(ctx context.Context, at time.Time) {
	defer func() {
		if v := recover(); v != nil {
			logger().Error("panic in scheduled", "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
		}
	}()
	a, err := product()
	if err != nil {
		logger().Error("scheduled pass", "err", err)
		return
	}
	if err := a.Scheduled(ctx, at); err != nil {
		logger().Error("scheduled pass failed", "err", err)
	}
}

// The product is built once per instance and kept while the configuration
// the events bring stays the same: it is read again only when the pool says
// the event's env is another object than the last one's
// (binding.envChanged). Nothing in it belongs to one request: its ports
// look the KV and D1 bindings up again when the env changes.
var (
	productMu  sync.Mutex
	productCfg app.Config
	productKV  *cfkv.Store
	productDB  *d1.DB
	productApp *app.App
)

func product() (*app.App, error) {
	productMu.Lock()
	defer productMu.Unlock()
	if productApp != nil && !envChanged() {
		return productApp, nil
	}
	cfg, err := app.LoadConfig(cloudflare.Getenv)
	if err != nil {
		return nil, err
	}
	if productApp != nil && productCfg == cfg {
		if err := productKV.Refresh(); err != nil {
			return nil, err
		}
		if err := productDB.Refresh(); err != nil {
			return nil, err
		}
		return productApp, nil
	}
	store, err := cfkv.New(kvBinding)
	if err != nil {
		return nil, err
	}
	db, err := d1.Open(d1.Binding)
	if err != nil {
		return nil, err
	}
	productCfg, productKV, productDB = cfg, store, db
	productApp = app.New(cfg, app.Deps{
		KV:    testKV(store), // fault injection in a -tags workertest build
		Store: db.Store(time.Now),
		HTTP:  jsfetch.Client(),
		Now:   time.Now,
		Rand:  rand.Reader, // crypto.getRandomValues
		Log:   logger(),
	})
	return productApp, nil
}

// misconfigured answers 500 when the Worker cannot start the product: a
// missing binding or variable. The message names the variable, never a value.
func misconfigured(w http.ResponseWriter, err error) {
	logger().Error("configuration", "err", err)
	http.Error(w, "server misconfigured: "+err.Error(), http.StatusInternalServerError)
}

// envChanged reports whether the pool leased this instance with an env
// object other than the previous event's.
func envChanged() bool {
	v := binding.Get("envChanged")
	return v.Type() != js.TypeBoolean || v.Bool()
}
