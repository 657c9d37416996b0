// Package kvhttp carries the kv port over HTTP for the conformance suite
// (package kvtest): Handler serves a store's operations as test routes inside
// a wasm build (the WASI guest, the Worker), and Client is the kv.Store a
// native test drives them with. So the suite runs against the store adapter
// of the build itself, not against a native copy of it.
//
// Wire format (what worker/testroutes.go answers too), under any prefix:
//
//	GET  /get?key=K                       200 "v:" + base64(value)
//	PUT  /put?key=K&ttl_ms=N  body=value  204
//	POST /delete?key=K                    204
//	GET  /list?prefix=P&cursor=C&limit=N  200 {"keys":[{"name","expiration"}],"cursor","list_complete"}
//	GET  /getmany?key=K1&key=K2…          200 {"values":[base64 or null, …]}   (kv.GetMany)
//	GET  /listmany?prefix=P1&prefix=P2…   200 {"names":[[name, …], …]}         (kv.ListMany)
//
// A failure answers 4xx/5xx with X-KV-Error: not_found, invalid_key,
// invalid_ttl or error, which Client maps back to kv's sentinel errors.
package kvhttp

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/paylastic/edge/core/internal/storeroutes"
	"github.com/paylastic/edge/core/kv"
)

// ErrorHeader classifies a failed operation's answer.
const ErrorHeader = "X-KV-Error"

// Handler serves store's operations at /get, /put, /delete and /list; mount
// it with http.StripPrefix. It is for test builds only: it reads and writes
// any key.
func Handler(store kv.Store) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /get", func(w http.ResponseWriter, r *http.Request) {
		v, err := store.Get(r.Context(), r.URL.Query().Get("key"))
		if err != nil {
			WriteError(w, err)
			return
		}
		WriteValue(w, v)
	})
	mux.HandleFunc("PUT /put", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		ttl, err := strconv.ParseInt(q.Get("ttl_ms"), 10, 64)
		if err != nil && q.Get("ttl_ms") != "" {
			http.Error(w, "bad ttl_ms", http.StatusBadRequest)
			return
		}
		v, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, "read body: "+err.Error(), http.StatusBadRequest)
			return
		}
		if err := store.Put(r.Context(), q.Get("key"), v, time.Duration(ttl)*time.Millisecond); err != nil {
			WriteError(w, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("POST /delete", func(w http.ResponseWriter, r *http.Request) {
		if err := store.Delete(r.Context(), r.URL.Query().Get("key")); err != nil {
			WriteError(w, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("GET /list", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		limit, _ := strconv.Atoi(q.Get("limit"))
		p, err := store.List(r.Context(), q.Get("prefix"), q.Get("cursor"), limit)
		if err != nil {
			WriteError(w, err)
			return
		}
		out := listAnswer{Keys: []kv.ListedKey{}, Cursor: p.Cursor, Complete: p.Complete}
		for _, k := range p.Keys {
			out.Keys = append(out.Keys, kv.Listed(k))
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(out)
	})
	// kv.GetMany and kv.ListMany of the store itself, so that the suite
	// reaches a store's kv.ManyReader (the Worker's does them in one host
	// call each) and not the per-key fallback the client would make.
	mux.HandleFunc("GET /getmany", func(w http.ResponseWriter, r *http.Request) {
		vs, err := kv.GetMany(r.Context(), store, r.URL.Query()["key"])
		if err != nil {
			WriteError(w, err)
			return
		}
		out := manyAnswer{Values: make([]*[]byte, len(vs))}
		for i, v := range vs {
			if v != nil {
				out.Values[i] = &vs[i]
			}
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(out)
	})
	mux.HandleFunc("GET /listmany", func(w http.ResponseWriter, r *http.Request) {
		names, err := kv.ListMany(r.Context(), store, r.URL.Query()["prefix"])
		if err != nil {
			WriteError(w, err)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(listManyAnswer{Names: names})
	})
	return mux
}

// manyAnswer is /getmany's: a value is base64 (encoding/json's []byte),
// a missing key null.
type manyAnswer struct {
	Values []*[]byte `json:"values"`
}

type listManyAnswer struct {
	Names [][]string `json:"names"`
}

type listAnswer struct {
	Keys     []kv.ListedKey `json:"keys"`
	Cursor   string         `json:"cursor,omitempty"`
	Complete bool           `json:"list_complete"`
}

// WriteValue answers a value as "v:" and its base64: never an empty body,
// which the Worker would turn into its status text (worker/respond.go), and
// a value the client can tell from an error page.
func WriteValue(w http.ResponseWriter, v []byte) {
	w.Header().Set("Content-Type", "text/plain")
	_, _ = io.WriteString(w, "v:"+base64.StdEncoding.EncodeToString(v))
}

// wireErrors are kv's sentinel errors on the wire.
var wireErrors = storeroutes.Errors{Header: ErrorHeader, Classes: []storeroutes.Class{
	{Code: "not_found", Err: kv.ErrNotFound, Status: http.StatusNotFound},
	{Code: "invalid_key", Err: kv.ErrInvalidKey, Status: http.StatusBadRequest},
	{Code: "invalid_ttl", Err: kv.ErrInvalidTTL, Status: http.StatusBadRequest},
}}

// WriteError answers err with its class in ErrorHeader.
func WriteError(w http.ResponseWriter, err error) { wireErrors.Write(w, err) }
