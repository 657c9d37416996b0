// Package cashttp carries the cas port over HTTP for the conformance suite
// (package castest): Handler serves a store's operations as test routes
// inside a wasm build (the WASI guest, the Worker), and Client is the
// cas.Store a native test drives them with. So the suite runs against the
// store adapter of the build itself, not a native copy of it.
//
// Every request carries the suite's clock in NowHeader (Unix ms): each
// request is a fresh instance, so the store's clock cannot live in memory.
// Wire format, under any prefix:
//
//	GET  /get?key=K                              200 {"value":base64,"version","expires"}
//	POST /getmany      body=["K",…]              200 {"K":{…},…}
//	PUT  /put?key=K&version=V&expires=MS body=v  200 {"version"}
//	GET  /list?prefix=P&after=K&limit=N          200 [{"key",…record},…]
//	POST /purge?now=MS                           200 {"purged"}
//
// A failure answers 4xx/5xx with X-CAS-Error: not_found, conflict, invalid
// or error, which Client maps back to cas's sentinel errors.
package cashttp

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/paylastic/edge/core/cas"
	"github.com/paylastic/edge/core/internal/storeroutes"
)

// ErrorHeader classifies a failed operation's answer.
const ErrorHeader = "X-CAS-Error"

// NowHeader is the store's clock for one request, in Unix milliseconds.
const NowHeader = "X-Test-Now"

// Handler serves the operations of the store newStore returns for each
// request's clock; mount it with http.StripPrefix. It is for test builds
// only: it reads and writes any key.
func Handler(newStore func(now func() time.Time) (cas.Store, error)) http.Handler {
	store := func(w http.ResponseWriter, r *http.Request) cas.Store {
		now := time.Now
		if ms, err := strconv.ParseInt(r.Header.Get(NowHeader), 10, 64); err == nil {
			now = func() time.Time { return time.UnixMilli(ms).UTC() }
		}
		s, err := newStore(now)
		if err != nil {
			WriteError(w, err)
			return nil
		}
		return s
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /get", func(w http.ResponseWriter, r *http.Request) {
		s := store(w, r)
		if s == nil {
			return
		}
		rec, err := s.Get(r.Context(), r.URL.Query().Get("key"))
		if err != nil {
			WriteError(w, err)
			return
		}
		writeJSON(w, wireOf(rec))
	})
	mux.HandleFunc("POST /getmany", func(w http.ResponseWriter, r *http.Request) {
		var keys []string
		if err := json.NewDecoder(r.Body).Decode(&keys); err != nil {
			http.Error(w, "bad keys: "+err.Error(), http.StatusBadRequest)
			return
		}
		s := store(w, r)
		if s == nil {
			return
		}
		m, err := s.GetMany(r.Context(), keys)
		if err != nil {
			WriteError(w, err)
			return
		}
		out := make(map[string]wireRecord, len(m))
		for k, rec := range m {
			out[k] = wireOf(rec)
		}
		writeJSON(w, out)
	})
	mux.HandleFunc("PUT /put", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		version, err1 := strconv.ParseInt(q.Get("version"), 10, 64)
		exp, err2 := strconv.ParseInt(q.Get("expires"), 10, 64)
		v, err3 := io.ReadAll(r.Body)
		if err := errors.Join(err1, err2, err3); err != nil {
			http.Error(w, "bad put: "+err.Error(), http.StatusBadRequest)
			return
		}
		s := store(w, r)
		if s == nil {
			return
		}
		n, err := s.Put(r.Context(), q.Get("key"), v, version, cas.FromMillis(exp))
		if err != nil {
			WriteError(w, err)
			return
		}
		writeJSON(w, map[string]int64{"version": n})
	})
	mux.HandleFunc("GET /list", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		limit, err := strconv.Atoi(q.Get("limit"))
		if err != nil {
			http.Error(w, "bad limit", http.StatusBadRequest)
			return
		}
		s := store(w, r)
		if s == nil {
			return
		}
		items, err := s.List(r.Context(), q.Get("prefix"), q.Get("after"), limit)
		if err != nil {
			WriteError(w, err)
			return
		}
		out := make([]wireItem, len(items))
		for i, it := range items {
			out[i] = wireItem{Key: it.Key, wireRecord: wireOf(it.Record)}
		}
		writeJSON(w, out)
	})
	mux.HandleFunc("POST /purge", func(w http.ResponseWriter, r *http.Request) {
		ms, err := strconv.ParseInt(r.URL.Query().Get("now"), 10, 64)
		if err != nil {
			http.Error(w, "bad now", http.StatusBadRequest)
			return
		}
		s := store(w, r)
		if s == nil {
			return
		}
		n, err := s.Purge(r.Context(), time.UnixMilli(ms).UTC())
		if err != nil {
			WriteError(w, err)
			return
		}
		writeJSON(w, map[string]int{"purged": n})
	})
	return mux
}

// wireRecord is a cas.Record on the wire; Expires is Unix ms, 0: never.
type wireRecord struct {
	Value   []byte `json:"value"`
	Version int64  `json:"version"`
	Expires int64  `json:"expires"`
}

// wireItem is a listed record on the wire.
type wireItem struct {
	Key string `json:"key"`
	wireRecord
}

func wireOf(r cas.Record) wireRecord {
	return wireRecord{Value: r.Value, Version: r.Version, Expires: cas.Millis(r.Expires)}
}

func (w wireRecord) record() cas.Record {
	v := w.Value
	if v == nil {
		v = []byte{}
	}
	return cas.Record{Value: v, Version: w.Version, Expires: cas.FromMillis(w.Expires)}
}

// writeJSON answers v (never an empty body: see kvhttp.WriteValue).
func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// wireErrors are cas's sentinel errors on the wire.
var wireErrors = storeroutes.Errors{Header: ErrorHeader, Classes: []storeroutes.Class{
	{Code: "not_found", Err: cas.ErrNotFound, Status: http.StatusNotFound},
	{Code: "conflict", Err: cas.ErrConflict, Status: http.StatusConflict},
	{Code: "invalid", Err: cas.ErrInvalid, Status: http.StatusBadRequest},
}}

// WriteError answers err with its class in ErrorHeader.
func WriteError(w http.ResponseWriter, err error) { wireErrors.Write(w, err) }
