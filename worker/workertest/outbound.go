package workertest

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
)

// Outbound is a loopback server standing in for the APIs the Worker calls.
// The first path segment names the API ("telegram", "viber", "monobank",
// "liqpay": the Worker's *_API_URL vars point at URL/<name>); the rest of the
// path goes to the handler the test set for that name. A name that is down
// has its connections closed without an answer, so the Worker's fetch fails
// as it would for an unreachable host.
type Outbound struct {
	URL string
	srv *httptest.Server

	mu       sync.Mutex
	handlers map[string]http.Handler
	down     map[string]bool
	requests atomic.Int64
}

// NewOutbound starts an Outbound with no handlers (every API answers 502).
func NewOutbound() *Outbound {
	o := &Outbound{handlers: map[string]http.Handler{}, down: map[string]bool{}}
	o.srv = httptest.NewServer(http.HandlerFunc(o.serve))
	o.URL = o.srv.URL
	return o
}

// Handle serves API name with h; the handler sees paths without /name.
func (o *Outbound) Handle(name string, h http.Handler) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.handlers[name] = http.StripPrefix("/"+name, h)
}

// SetDown makes API name unreachable (down) or reachable again.
func (o *Outbound) SetDown(name string, down bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.down[name] = down
}

// Requests is the number of requests that reached Outbound, down or not.
func (o *Outbound) Requests() int64 { return o.requests.Load() }

// Close stops the server.
func (o *Outbound) Close() { o.srv.Close() }

func (o *Outbound) serve(w http.ResponseWriter, r *http.Request) {
	o.requests.Add(1)
	name, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	o.mu.Lock()
	h, down := o.handlers[name], o.down[name]
	o.mu.Unlock()
	if down {
		if hj, ok := w.(http.Hijacker); ok {
			if c, _, err := hj.Hijack(); err == nil {
				c.Close()
				return
			}
		}
		panic(http.ErrAbortHandler)
	}
	if h == nil {
		http.Error(w, "workertest: no handler for API "+name, http.StatusBadGateway)
		return
	}
	h.ServeHTTP(w, r)
}
