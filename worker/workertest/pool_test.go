package workertest_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paylastic/edge/core/kv"
	"github.com/paylastic/edge/worker/workertest"
)

// poolStats is what the pool's test route /_test/pool answers.
type poolStats struct {
	Created, Reused, Retired, Crashed, Waited, Events int
	Live, Idle                                        int
	Opts                                              struct {
		MaxLive     int `json:"maxLive"`
		MaxUses     int `json:"maxUses"`
		RetireBytes int `json:"retireBytes"`
	} `json:"opts"`
	Instances []struct {
		ID     int  `json:"id"`
		Uses   int  `json:"uses"`
		Memory int  `json:"memory"`
		Leased bool `json:"leased"`
	} `json:"instances"`
}

func stats(t *testing.T, e *workertest.Env) poolStats {
	t.Helper()
	var s poolStats
	body := get(t, e.URL+"/_test/pool", 200)
	if err := json.Unmarshal([]byte(body), &s); err != nil {
		t.Fatalf("pool stats %q: %v", body, err)
	}
	return s
}

// get fetches u, wants status, returns the body.
func get(t *testing.T, u string, status int) string {
	t.Helper()
	c := &http.Client{Timeout: 20 * time.Second}
	resp, err := c.Get(u)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != status {
		t.Fatalf("GET %s = %d %s, want %d", u, resp.StatusCode, b, status)
	}
	return string(b)
}

// instance is which Go instance answered, and how many requests it had.
func instance(t *testing.T, e *workertest.Env) (id string, served int) {
	t.Helper()
	if _, err := fmt.Sscanf(get(t, e.URL+"/_test/instance", 200), "%s %d", &id, &served); err != nil {
		t.Fatal(err)
	}
	return id, served
}

// TestPoolReuses: one Go instance answers request after request; events
// are leased from the pool, not started afresh.
func TestPoolReuses(t *testing.T) {
	e := worker(t)
	a, n := instance(t, e)
	for range 5 {
		get(t, e.URL+"/healthz", 200)
	}
	b, m := instance(t, e)
	if a != b || m <= n {
		t.Errorf("instances %s (%d requests) then %s (%d): want the same one, reused", a, n, b, m)
	}
	if s := stats(t, e); s.Reused == 0 || s.Crashed != 0 {
		t.Errorf("pool stats %+v: want reuses, no crash", s)
	}
}

// TestPoolCrash: a panic that nothing recovers, and os.Exit, kill only
// their instance: that request answers 500, the next one is served by a
// new instance, and the crash is counted.
func TestPoolCrash(t *testing.T) {
	e := worker(t)
	for _, route := range []string{"/_test/panic", "/_test/exit"} {
		before := stats(t, e)
		id, _ := instance(t, e)
		get(t, e.URL+route, 500)
		again, _ := instance(t, e)
		if again == id {
			t.Errorf("after %s the same instance %s answered: it should be dead", route, id)
		}
		get(t, e.URL+"/healthz", 200)
		if s := stats(t, e); s.Crashed != before.Crashed+1 {
			t.Errorf("after %s: crashed %d, want %d", route, s.Crashed, before.Crashed+1)
		}
	}
}

// TestPoolSleepAcrossRequests: a goroutine left asleep by one request must
// not hang the next request that sleeps longer. Go keeps one timeout event
// with the JavaScript runtime, for its earliest timer: here the goroutine's,
// set in an event that has ended, which workerd drops. The pool re-arms
// that timer at each lease; without it the second request never wakes.
func TestPoolSleepAcrossRequests(t *testing.T) {
	e := worker(t)
	get(t, e.URL+"/_test/sleepy?ms=300", 200)
	start := time.Now()
	if body := get(t, e.URL+"/_test/sleep?ms=1000", 200); body != "slept" {
		t.Errorf("sleep answered %q", body)
	}
	if d := time.Since(start); d > 8*time.Second {
		t.Errorf("a 1 s sleep after a sleepy goroutine took %v", d)
	}
}

// TestPoolWaitUntil: work the Go side hands to waitUntil runs to its end
// after the answer went out, and the instance is not leased again before.
func TestPoolWaitUntil(t *testing.T) {
	e := worker(t)
	key := fmt.Sprintf("waituntil/%d", time.Now().UnixNano())
	start := time.Now()
	if body := get(t, e.URL+"/_test/waituntil?ms=1500&key="+key, 200); body != "answered" {
		t.Fatalf("waituntil answered %q", body)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("the answer waited for the task: %v", d)
	}
	store := e.KV()
	deadline := time.Now().Add(15 * time.Second)
	for {
		v, err := store.Get(context.Background(), key)
		if err == nil && string(v) == "done" {
			break
		}
		if err != nil && !errors.Is(err, kv.ErrNotFound) {
			t.Fatal(err)
		}
		if time.Now().After(deadline) {
			t.Fatal("the waitUntil task never wrote its key")
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// TestPoolConcurrency: 50 requests at once over mixed routes all answer
// right; the pool never holds more instances than it may, and none crash.
func TestPoolConcurrency(t *testing.T) {
	e := worker(t)
	before := stats(t, e)
	routes := []struct {
		path   string
		status int
		want   string
	}{
		{"/healthz", 200, "ok"},
		{"/_test/sleep?ms=50", 200, "slept"},
		{"/p/not-a-check", 404, ""},
		{"/nope", 404, ""},
		{"/_test/kv/get?key=absent-" + fmt.Sprint(time.Now().UnixNano()), 404, ""},
	}
	var wg sync.WaitGroup
	errs := make(chan error, 50)
	c := &http.Client{Timeout: 30 * time.Second}
	for i := range 50 {
		wg.Add(1)
		go func(r struct {
			path   string
			status int
			want   string
		}) {
			defer wg.Done()
			resp, err := c.Get(e.URL + r.path)
			if err != nil {
				errs <- err
				return
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != r.status || !strings.Contains(string(b), r.want) {
				errs <- fmt.Errorf("GET %s = %d %q, want %d %q", r.path, resp.StatusCode, b, r.status, r.want)
			}
		}(routes[i%len(routes)])
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	s := stats(t, e)
	if s.Live > s.Opts.MaxLive || s.Crashed != before.Crashed {
		t.Errorf("pool after 50 at once: %+v (max %d live, crashed before %d)", s, s.Opts.MaxLive, before.Crashed)
	}
}

// TestPoolMemory: over 3000 requests the instances' linear memory stays
// under the retirement threshold, and the pool's whole under 100 MB.
func TestPoolMemory(t *testing.T) {
	e := worker(t)
	c := &http.Client{Timeout: 20 * time.Second}
	paths := []string{"/healthz", "/p/not-a-check", "/_test/kv/get?key=absent", "/nope"}
	for i := range 3000 {
		resp, err := c.Get(e.URL + paths[i%len(paths)])
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	s := stats(t, e)
	total := 0
	for _, in := range s.Instances {
		total += in.Memory
		if in.Memory > s.Opts.RetireBytes {
			t.Errorf("instance %d holds %d bytes after %d uses, over the %d to retire at", in.ID, in.Memory, in.Uses, s.Opts.RetireBytes)
		}
	}
	if total > 100<<20 {
		t.Errorf("the pool holds %d bytes of linear memory, over 100 MB", total)
	}
	t.Logf("after 3000 requests: %d live instances, %d bytes in all; %+v", s.Live, total, s.Instances)
}

// TestPoolRetires: an instance that has served maxUses events is retired
// and the next event gets a new one, so that what syumai's runtime leaks
// per request (or anything else an instance accumulates) is bounded by the
// uses as well as by the memory threshold. A Worker of its own, with
// POOL_MAX_USES=10.
func TestPoolRetires(t *testing.T) {
	workertest.Skip(t)
	e, err := workertest.Launch(workertest.Options{Files: workertest.WorkerFiles(t), Env: map[string]string{"POOL_MAX_USES": "10"}})
	if err != nil {
		t.Fatalf("start wrangler dev: %v", err)
	}
	defer e.Close()
	first, _ := instance(t, e)
	seen := map[string]bool{first: true}
	for range 25 {
		get(t, e.URL+"/healthz", 200)
		id, served := instance(t, e)
		seen[id] = true
		if served > 10 {
			t.Fatalf("instance %s has served %d events, over POOL_MAX_USES=10", id, served)
		}
	}
	s := stats(t, e)
	if s.Opts.MaxUses != 10 || s.Retired < 4 || len(seen) < 5 || s.Crashed != 0 {
		t.Errorf("after 51 events with maxUses 10: %+v, %d instances seen; want maxUses 10, at least 4 retired and 5 instances, none crashed", s, len(seen))
	}
}

// TestPoolCron: the Cron Trigger's event is served by a pooled instance.
func TestPoolCron(t *testing.T) {
	e := worker(t)
	before := stats(t, e)
	if err := e.Scheduled(context.Background(), time.Now()); err != nil {
		t.Fatal(err)
	}
	s := stats(t, e)
	if s.Events <= before.Events || s.Crashed != before.Crashed {
		t.Errorf("pool after a cron pass: %+v, before %+v", s, before)
	}
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(e.Output(), `"msg":"scheduled pass"`); time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("no scheduled pass in the Worker's logs")
		}
	}
}
