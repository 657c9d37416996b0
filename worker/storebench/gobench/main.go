//go:build js && wasm

// Command gobench is the Go Worker of worker/storebench: the operations of
// ../js/worker.mjs, from Go, through the adapters the product would use:
// package sqlcas over syumai's D1 driver (what worker/d1 was first), and doStore, a cas
// store over one Durable Object per key (../js/check_do.mjs) called through
// syumai's stub client. Its bundle is syumai's shim plus the class
// (entry.mjs).
package main

import (
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/paylastic/edge/core/cas"
	"github.com/paylastic/edge/core/cas/sqlcas"
	"github.com/syumai/workers"
	cfd1 "github.com/syumai/workers/cloudflare/d1"
)

func main() { workers.Serve(http.HandlerFunc(serve)) }

func serve(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	n, _ := strconv.Atoi(q.Get("n"))
	size, _ := strconv.Atoi(q.Get("size"))
	version, _ := strconv.ParseInt(q.Get("v"), 10, 64)
	exp, _ := strconv.ParseInt(q.Get("exp"), 10, 64)
	key, value := q.Get("key"), make([]byte, size)
	var store cas.Store
	var err error
	switch r.URL.Path[:min(4, len(r.URL.Path))] {
	case "/noo", "/hea": // /noop, and /healthz, which workertest waits for
		w.Write([]byte("ok"))
		return
	case "/d1/":
		if r.URL.Path == "/d1/probe" {
			probe(w)
			return
		}
		var c driver.Connector
		if c, err = cfd1.OpenConnector("DB"); err == nil {
			store = sqlcas.New(sql.OpenDB(c), time.Now)
		}
	case "/do/":
		store, err = newDOStore("CHECKS", time.Now)
	}
	if err != nil || store == nil {
		http.Error(w, "no store", http.StatusInternalServerError)
		return
	}
	ctx := r.Context()
	for i := 0; i < max(n, 1); i++ {
		switch r.URL.Path[3:] {
		case "/insert":
			version, err = store.Put(ctx, key+strconv.Itoa(i), value, 0, cas.FromMillis(exp))
		case "/update":
			version, err = store.Put(ctx, key, value, version, cas.FromMillis(exp))
		case "/read":
			_, err = store.Get(ctx, key)
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusConflict)
			return
		}
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]int64{"version": version})
}
