package host_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/paylastic/edge/wasm/host"
	"github.com/paylastic/edge/wasm/hosttest"
)

// instanceInfo is what the guest's /_test/instance route says of itself.
type instanceInfo struct {
	ID         string `json:"id"`
	Served     int    `json:"served"`
	Pinned     int    `json:"pinned"`
	Goroutines int    `json:"goroutines"`
}

func whichInstance(t *testing.T, e *hosttest.Env) instanceInfo {
	t.Helper()
	code, body := request(t, "GET", e.URL+"/_test/instance", "", "")
	var in instanceInfo
	if err := json.Unmarshal([]byte(body), &in); code != 200 || err != nil || in.ID == "" {
		t.Fatalf("GET /_test/instance = %d %s (%v)", code, body, err)
	}
	return in
}

// TestPoolLeasesOneInstance: pooled, sequential requests are all served by
// one instance, which builds the product once and holds no request's
// buffers into the next; fresh, each by its own.
func TestPoolLeasesOneInstance(t *testing.T) {
	for _, fresh := range []bool{false, true} {
		name := map[bool]string{false: "pooled", true: "fresh"}[fresh]
		t.Run(name, func(t *testing.T) {
			e := hosttest.Start(t, hosttest.Options{Fresh: fresh})
			seen := map[string]bool{}
			for i := 1; i <= 5; i++ {
				// a request with a body the guest must not keep
				request(t, "POST", e.URL+"/admin/merchants", hosttest.AdminToken, `{"name":"Shop `+strings.Repeat("x", 1000)+`"}`)
				in := whichInstance(t, e)
				seen[in.ID] = true
				if in.Pinned != 0 {
					t.Errorf("request %d: %d buffers of earlier calls still pinned", i, in.Pinned)
				}
				if want := map[bool]int{false: 2 * i, true: 1}[fresh]; in.Served != want {
					t.Errorf("request %d: instance served %d, want %d", i, in.Served, want)
				}
			}
			want := map[bool]int{false: 1, true: 10}[fresh]
			if st := e.Harness.Stats(); len(seen) != map[bool]int{false: 1, true: 5}[fresh] || st.Created != int64(want) {
				t.Errorf("instances: %d seen, stats %+v; want %d created", len(seen), st, want)
			}
		})
	}
}

// TestPoolRetires: an instance is not leased again after MaxUses, past
// RetireBytes, or when a request left a goroutine running (it would run
// on in the next request's lease).
func TestPoolRetires(t *testing.T) {
	tests := []struct {
		name  string
		opts  hosttest.Options
		reuse int    // later requests still served by the first instance
		then  string // a request after those ("": none)
	}{
		{"after max uses", hosttest.Options{Limits: host.Limits{MaxUses: 3}}, 2, ""},
		{"a goroutine left running", hosttest.Options{}, 0, "/_test/goroutine"},
		{"over the memory threshold", hosttest.Options{Limits: host.Limits{RetireBytes: 1 << 20}}, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := hosttest.Start(t, tt.opts)
			first := whichInstance(t, e)
			for i := 0; i < tt.reuse; i++ {
				if got := whichInstance(t, e); got.ID != first.ID {
					t.Fatalf("request %d served by a new instance %s, want %s", i+2, got.ID, first.ID)
				}
			}
			if tt.then != "" {
				request(t, "GET", e.URL+tt.then, "", "")
			}
			if got := whichInstance(t, e); got.ID == first.ID {
				t.Fatalf("instance %s leased again (served %d); want a new one", got.ID, got.Served)
			}
			if st := e.Harness.Stats(); st.Retired == 0 || st.Crashed != 0 {
				t.Errorf("stats %+v: want a retirement, no crash", st)
			}
		})
	}
}

// TestPoolFaults: after a trap or a timeout the request answers 500 or 504
// and the next gets a new instance; a recovered panic keeps the instance.
func TestPoolFaults(t *testing.T) {
	tests := []struct {
		path    string
		want    int
		dropped bool
	}{
		{"/_test/panic", 500, false},
		{"/_test/fatal", 500, true},
		{"/_test/hang", 504, true},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			e := hosttest.Start(t, hosttest.Options{Timeout: 2 * time.Second})
			first := whichInstance(t, e)
			if code, body := request(t, "GET", e.URL+tt.path, "", ""); code != tt.want {
				t.Fatalf("GET %s = %d %q, want %d", tt.path, code, body, tt.want)
			}
			next := whichInstance(t, e)
			if dropped := next.ID != first.ID; dropped != tt.dropped {
				t.Errorf("instance dropped = %v, want %v", dropped, tt.dropped)
			}
			if st := e.Harness.Stats(); (st.Crashed == 1) != tt.dropped {
				t.Errorf("stats %+v, want crashed = %v", st, tt.dropped)
			}
		})
	}
}

// TestPoolAdmission: with every instance leased, a request waits in line up
// to MaxWait, then gets 503 with Retry-After: 1 in the product's JSON error
// shape; one that finds the line full gets it at once.
func TestPoolAdmission(t *testing.T) {
	e := hosttest.Start(t, hosttest.Options{Timeout: 3 * time.Second, Limits: host.Limits{MaxInstances: 1, MaxWaiting: 1, MaxWait: 500 * time.Millisecond}})
	hung := make(chan int, 1)
	go func() {
		resp, err := http.Get(e.URL + "/_test/hang")
		if err != nil {
			hung <- 0
			return
		}
		resp.Body.Close()
		hung <- resp.StatusCode
	}()
	waitFor(t, func() bool { return e.Harness.Stats().Leased == 1 })

	type answer struct {
		code       int
		retryAfter string
		body       string
		took       time.Duration
	}
	get := func() answer {
		start := time.Now()
		resp, err := http.Get(e.URL + "/healthz")
		if err != nil {
			t.Error(err)
			return answer{}
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return answer{resp.StatusCode, resp.Header.Get("Retry-After"), string(b), time.Since(start)}
	}
	waited := make(chan answer, 1)
	go func() { waited <- get() }()
	waitFor(t, func() bool { return e.Harness.Stats().Waiting == 1 })
	full := get()
	w := <-waited
	for _, a := range []struct {
		name string
		answer
		min time.Duration
	}{{"line full", full, 0}, {"waited", w, 500 * time.Millisecond}} {
		if a.code != 503 || a.retryAfter != "1" || !strings.Contains(a.body, `"error":{"code":"unavailable"`) {
			t.Errorf("%s: %d Retry-After %q %s; want 503, 1, a JSON error", a.name, a.code, a.retryAfter, a.body)
		}
		if a.took < a.min {
			t.Errorf("%s: answered after %v, want at least %v", a.name, a.took, a.min)
		}
	}
	if full.took >= 500*time.Millisecond {
		t.Errorf("line full: answered after %v, want at once", full.took)
	}
	if code := <-hung; code != 504 {
		t.Errorf("hang = %d, want 504", code)
	}
	if code, _ := request(t, "GET", e.URL+"/healthz", "", ""); code != 200 {
		t.Errorf("healthz after the line emptied = %d", code)
	}
	if st := e.Harness.Stats(); st.Rejected != 2 {
		t.Errorf("stats %+v, want 2 rejected", st)
	}
}

// waitFor polls cond for up to 10 s.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("condition not met in 10 s")
		}
	}
}

// TestHostCallsFromGoroutines: a goroutine that parks between its host
// call and the take of the result (a GC assist in the allocation of the
// result's buffer) must not let another goroutine's call replace the result
// it is about to take. Seen in the soak as "host_take: length does not
// match the pending result" once the scheduled pass swept and sent the
// reports at once.
func TestHostCallsFromGoroutines(t *testing.T) {
	e := hosttest.Start(t, hosttest.Options{})
	for i := range 5 {
		resp, err := http.Get(e.URL + "/_test/calls-at-once")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("round %d: %d %s", i, resp.StatusCode, body)
		}
	}
}
