//go:build js && wasm && workertest

package main

// The consistent store's test routes, behind the same two locks as the KV
// routes (this file exists only in a -tags workertest build; withTestRoutes
// mounts them only with PAYLASTIC_TEST_HOOKS=1). worker/workertest runs the
// cas conformance suite through them, against D1 in workerd, through the
// Worker's own store (package d1: sqlcas over its driver and the pool's sql
// host function).

import (
	"net/http"
	"time"

	"github.com/paylastic/edge/core/cas"
	"github.com/paylastic/edge/core/cas/castest/cashttp"
	"github.com/paylastic/edge/worker/d1"
)

func casRoutes(mux *http.ServeMux) {
	mux.Handle("/_test/cas/", http.StripPrefix("/_test/cas", cashttp.Handler(func(now func() time.Time) (cas.Store, error) {
		db, err := d1.Open(d1.Binding)
		if err != nil {
			return nil, err
		}
		return db.Store(now), nil
	})))
}
