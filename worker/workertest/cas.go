package workertest

import (
	"time"

	"github.com/paylastic/edge/core/cas/castest/cashttp"
)

// CAS is the Worker's consistent store as seen through its adapter
// (worker/d1 over D1 in workerd), by way of its /_test/cas routes, with the
// store's clock now (nil: the Worker's own).
func (e *Env) CAS(now func() time.Time) *cashttp.Client {
	return &cashttp.Client{URL: e.URL + "/_test/cas", Now: now, Name: "worker cas"}
}
