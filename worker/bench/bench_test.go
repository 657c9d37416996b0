//go:build workerbench

package bench

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/paylastic/edge/core/cas/sqlcas"
	"github.com/paylastic/edge/internal/testsupport"
	"github.com/paylastic/edge/worker/workertest"
)

// workload is one kind of request, measured n times per run. io is the
// product's KV and fetch calls for it (counted by the pool, BENCH_IO=1);
// the twin makes the same calls.
type workload struct {
	name string
	env  *workertest.Env
	req  func(i int) *http.Request
	want int // status, 200 if 0
	io   ioCounts
	twin bool // the workload is a twin's, not the product's
}

// ioCounts is what the pool counts for a request it is asked to (the
// x-bench-io header): KV calls, D1 statements in order, fetch calls.
type ioCounts struct {
	Get, Put, List, Delete, Fetch, Bytes int
	Log, LogChars                        int // console.log lines, and their characters
	SQL                                  []statement
	Memory, Uses                         int
}

// statement is one D1 statement the product ran: its text, and the rows it
// answered (0 for run()).
type statement struct {
	Query string
	Rows  int
}

// sqlNames names package sqlcas's statements, the only ones the product
// runs: the twin runs the same ones, by name (twinSQL gives it the texts).
var sqlNames = map[string]string{
	sqlcas.SQLGet: "get", sqlcas.SQLGetMany: "getmany", sqlcas.SQLInsert: "insert",
	sqlcas.SQLUpdate: "update", sqlcas.SQLList: "list", sqlcas.SQLPurge: "purge",
}

// twinSQL is the twin's env: each statement's text as SQL_<name> (on one
// line, as a dotenv value must be).
func twinSQL() map[string]string {
	env := map[string]string{}
	for q, name := range sqlNames {
		env["SQL_"+strings.ToUpper(name)] = strings.ReplaceAll(q, "\n", " ")
	}
	return env
}

// sqlArg is the D1 statements as the twin's sql parameter: name.rows,
// comma-separated. A statement that is not sqlcas's fails the bench (the
// twin would not be honest).
func (c ioCounts) sqlArg() (string, error) {
	var parts []string
	for _, st := range c.SQL {
		name, ok := sqlNames[st.Query]
		if !ok {
			return "", fmt.Errorf("the product ran a D1 statement the twin does not know: %q", st.Query)
		}
		parts = append(parts, fmt.Sprintf("%s.%d", name, st.Rows))
	}
	return strings.Join(parts, ","), nil
}

func (c ioCounts) query() string {
	q := fmt.Sprintf("get=%d&put=%d&list=%d&delete=%d&fetch=%d&bytes=%d&log=%d&logchars=%d", c.Get, c.Put, c.List, c.Delete, c.Fetch, c.Bytes, c.Log, c.LogChars)
	if s, _ := c.sqlArg(); s != "" {
		q += "&sql=" + s
	}
	return q
}

func (c ioCounts) String() string {
	reads, writes := 0, 0
	for _, st := range c.SQL {
		switch sqlNames[st.Query] {
		case "get", "getmany", "list":
			reads++
		default:
			writes++
		}
	}
	return fmt.Sprintf("KV %d get %d put %d list, D1 %d read %d write, %d fetch (%d B), %d log", c.Get, c.Put, c.List, reads, writes, c.Fetch, c.Bytes, c.Log)
}

// sample is one run of one workload.
type sample struct {
	user, proxy, wall time.Duration // per request
}

// TestBench reports, from one run: the bundle sizes; the cold start; and
// for every route the median workerd CPU per request next to its JS twin
// (the same KV and fetch calls in plain JavaScript), the syumai Go hello
// and the JS hello, measured in the same run; and an instance's memory
// after the runs. Knobs: PAYLASTIC_BENCH_N requests per run (200),
// PAYLASTIC_BENCH_RUNS runs (5), PAYLASTIC_BENCH_APP the built Worker's
// directory (build/, from make worker; a build of an older commit gives the
// "before" figures: its I/O is not counted, so no own CPU is shown),
// PAYLASTIC_BENCH_ROUTES a regular expression of the routes to measure
// (all).
func TestBench(t *testing.T) {
	workertest.Skip(t)
	n, runs := workertest.EnvInt("PAYLASTIC_BENCH_N", 200), workertest.EnvInt("PAYLASTIC_BENCH_RUNS", 5)
	root, err := testsupport.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	appDir := os.Getenv("PAYLASTIC_BENCH_APP")
	if appDir == "" {
		appDir = filepath.Join(root, "build")
	}
	app, err := workertest.ReadWorker(appDir)
	if err != nil {
		t.Fatalf("%v (run make worker first)", err)
	}
	helloDir := t.TempDir()
	if err := workertest.Build(root, helloDir, "./worker/bench/hello", workertest.EntrySyumai); err != nil {
		t.Fatal(err)
	}
	hello, err := workertest.ReadWorker(helloDir)
	if err != nil {
		t.Fatal(err)
	}
	twinJS, err := os.ReadFile(filepath.Join(root, "worker", "bench", "twin", "worker.mjs"))
	if err != nil {
		t.Fatal(err)
	}
	var report strings.Builder
	fmt.Fprintf(&report, "bundle: app.wasm %s; its JavaScript entry %s; syumai Go hello %s\n", size(t, app["app.wasm"]), size(t, entry(app)), size(t, hello["app.wasm"]))

	cold := coldStart(t, app)
	fmt.Fprintf(&report, "cold start (a fresh isolate's first request, GET /healthz): %s ms workerd CPU, %s ms wall; workerd's own start before it: %s ms CPU\n", ms(cold.user), ms(cold.wall), ms(cold.proxy))

	he := launch(t, workertest.Options{Files: hello})
	te := launch(t, workertest.Options{Files: map[string][]byte{"worker.mjs": twinJS}, Env: twinSQL()})
	te.Outbound.Handle("sink", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"ok":true,"result":{"message_id":1,"date":1764151200,"chat":{"id":4242,"type":"private"}}}`)
	}))
	shop, cron, works := routes(t, app, runs*n)
	if only := os.Getenv("PAYLASTIC_BENCH_ROUTES"); only != "" {
		re, err := regexp.Compile(only)
		if err != nil {
			t.Fatalf("PAYLASTIC_BENCH_ROUTES: %v", err)
		}
		works = slices.DeleteFunc(works, func(w workload) bool { return !re.MatchString(w.name) })
	}
	// Count each route's I/O from the product itself: the pool counts a
	// request marked x-bench-io (the cron pass logs its counts).
	counted := len(app["pool.mjs"]) > 0
	if counted {
		for i := range works {
			works[i].io = countIO(t, works[i], shop, cron)
			if _, err := works[i].io.sqlArg(); err != nil {
				t.Fatalf("%s: %v", works[i].name, err)
			}
		}
	}
	all := []workload{
		{name: "JS hello Worker", env: te, twin: true, req: func(int) *http.Request { return get(te.URL + "/hello") }},
		{name: "syumai Go hello Worker", env: he, twin: true, req: func(int) *http.Request { return get(he.URL + "/") }},
	}
	for _, w := range works {
		all = append(all, w)
		if counted {
			q := w.io.query()
			all = append(all, workload{name: "  its JS twin: " + w.io.String(), env: te, twin: true, req: func(int) *http.Request { return get(te.URL + "/io?" + q) }})
		}
	}
	for _, w := range all { // warm up: V8 tiers the modules up over the first requests
		measure(t, w, 20)
	}
	results := make([][]sample, len(all))
	var memory []ioCounts // the shop's instance after each run
	for r := 0; r < runs; r++ {
		for i, w := range all {
			results[i] = append(results[i], measure(t, w, n))
		}
		if counted {
			memory = append(memory, countOne(t, shop.env, get(shop.env.URL+"/healthz")))
		}
	}
	med := func(i int) time.Duration { return median(results[i], func(s sample) time.Duration { return s.user }) }
	var helloGo time.Duration
	for i, w := range all {
		if w.name == "syumai Go hello Worker" {
			helloGo = med(i)
		}
	}
	fmt.Fprintf(&report, "\nworkerd CPU per request, median of %d runs of %d requests (user workerd = the one running the Worker), in one run:\n", runs, n)
	fmt.Fprintf(&report, "%-58s %10s %10s %9s %10s %9s %7s   runs (user ms)\n", "route", "user CPU", "own CPU", "÷ Go hello", "own paired", "wall", "target")
	for i, w := range all {
		u, wall := med(i), median(results[i], func(s sample) time.Duration { return s.wall })
		own, ratio, verdict, paired := "", "", "", ""
		if !w.twin && counted && i+1 < len(all) {
			d := u - med(i+1)
			own = ms(d) + " ms"
			// the median of each run's product less that run's twin: the
			// two ran one after the other, so a noisy neighbour weighs on
			// both alike
			var diffs []time.Duration
			for r := range results[i] {
				diffs = append(diffs, results[i][r].user-results[i+1][r].user)
			}
			paired = ms(workertest.Median(diffs)) + " ms"
			ratio = strconv.FormatFloat(float64(d)/float64(helloGo), 'f', 2, 64) + "×"
			verdict = target(d, helloGo)
		} else if !w.twin {
			ratio = strconv.FormatFloat(float64(u)/float64(helloGo), 'f', 2, 64) + "× raw"
			verdict = target(u, helloGo)
		}
		var each []string
		for _, s := range results[i] {
			each = append(each, ms(s.user))
		}
		fmt.Fprintf(&report, "%-58s %7s ms %10s %10s %10s %6s ms %7s   %s\n", w.name, ms(u), own, ratio, paired, ms(wall), verdict, strings.Join(each, " "))
	}
	fmt.Fprintf(&report, "target: own CPU ≤ %s ms and ≤ %.1f× the syumai Go hello (/healthz, no I/O, as measured)\n", ms(ownTarget), helloShare)
	if len(memory) > 0 {
		// An instance is retired after maxUses events (pool.mjs): the events
		// served say which instance each figure is of.
		var each []string
		for _, m := range memory {
			each = append(each, fmt.Sprintf("%.1f MiB after %d events", float64(m.Memory)/(1<<20), m.Uses))
		}
		fmt.Fprintf(&report, "\ninstance memory (linear), the shop's instance after each run: %s\n", strings.Join(each, "; "))
	}
	t.Log("\n" + report.String())
}

// The targets of a route's own CPU (its median less its twin's): absolute,
// and as a share of the syumai Go hello measured in the same run.
const (
	ownTarget  = 5 * time.Millisecond
	helloShare = 0.5
)

// target is "ok" when own CPU d meets both targets, else "OVER".
func target(d, helloGo time.Duration) string {
	if d <= ownTarget && float64(d) <= helloShare*float64(helloGo) {
		return "ok"
	}
	return "OVER"
}

// entry is the Worker's JavaScript modules, as uploaded next to app.wasm.
func entry(app map[string][]byte) []byte {
	var b []byte
	for _, f := range []string{"worker.mjs", "pool.mjs", "wasm_exec.js"} {
		b = append(b, app[f]...)
	}
	return b
}

// routes starts the product twice (shop, and cron for the cron pass) and
// returns every route's workload, with fresh checks for n requests of
// those that use one up.
func routes(t *testing.T, app map[string][]byte, n int) (shop, cron *shop, works []workload) {
	t.Helper()
	shop, cron = newShop(t, app, ""), newShop(t, app, "cron")
	pay := shop.checks(t, 3+20+n)
	callback := shop.checks(t, 3+20+n)
	for range 20 {
		cron.tg(t, cron.opChat, "12,50")
	}
	return shop, cron, []workload{
		{name: "GET /healthz", env: shop.env, req: func(int) *http.Request { return get(shop.env.URL + "/healthz") }},
		{name: "GET /p/{token} (payment page)", env: shop.env, req: func(int) *http.Request { return get(shop.link) }},
		{name: "POST /p/{token}/pay (start, sandbox)", env: shop.env, want: 303, req: func(int) *http.Request { return post(pay.next(), "") }},
		{name: "POST /bank/sandbox/callback (paid)", env: shop.env, req: func(int) *http.Request { return shop.sandboxPaid(callback.nextToken()) }},
		{name: "Telegram amount → QR", env: shop.env, req: func(int) *http.Request { return shop.tgReq(shop.opChat, "12,50") }},
		{name: "Telegram bad amount (reply)", env: shop.env, req: func(int) *http.Request { return shop.tgReq(shop.opChat, "12,345") }},
		{name: "Telegram «Мої чеки»", env: shop.env, req: func(int) *http.Request { return shop.tgReq(shop.listChat, "Мої чеки") }},
		{name: "Viber amount → QR", env: shop.env, req: func(int) *http.Request { return shop.vbReq("12,50") }},
		{name: "cron pass (20 checks in window)", env: cron.env, req: func(int) *http.Request { return scheduledReq(cron.env) }},
	}
}

func launch(t *testing.T, o workertest.Options) *workertest.Env {
	t.Helper()
	e, err := workertest.Launch(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

// coldStart launches the Worker and sends its first request: the workerd
// CPU of that request (user), its wall time, and the CPU workerd spent
// before it, loading the Worker (proxy).
func coldStart(t *testing.T, app map[string][]byte) sample {
	t.Helper()
	e, err := workertest.Launch(workertest.Options{Files: app, NoProbe: true})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	user, _ := workerdPIDs(t, e)
	c0, start := cpu(t, user), time.Now()
	resp, err := http.Get(e.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	wall := time.Since(start)
	if resp.StatusCode != 200 {
		t.Fatalf("cold /healthz: %d", resp.StatusCode)
	}
	return sample{user: cpu(t, user) - c0, proxy: c0, wall: wall}
}

// countIO runs w once more, marked, and returns the I/O the pool counted.
func countIO(t *testing.T, w workload, shop, cron *shop) ioCounts {
	t.Helper()
	if strings.HasPrefix(w.name, "cron") {
		var c ioCounts
		for range 3 { // the last of three, as for requests: the first pass of
			// a fresh shop does the hour's and the day's work the timed ones do not
			c = countPass(t, w.env)
		}
		return c
	}
	var c ioCounts
	for range 3 { // the last of three: caches warm, as in the runs
		c = countOne(t, w.env, w.req(0))
	}
	return c
}

// countPass runs one scheduled pass marked to be counted and returns what
// the pool logged for it.
func countPass(t *testing.T, e *workertest.Env) ioCounts {
	t.Helper()
	before := strings.Count(e.Output(), `"msg":"bench io"`)
	send(t, get(e.URL+"/cdn-cgi/handler/scheduled?cron="+benchIOCron), 200)
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		out := e.Output()
		if strings.Count(out, `"msg":"bench io"`) > before {
			line := out[strings.LastIndex(out, `{"time"`):]
			line = line[:strings.IndexByte(line, '\n')]
			var c ioCounts
			if err := json.Unmarshal([]byte(line), &c); err != nil {
				t.Fatalf("bench io log %q: %v", line, err)
			}
			return c
		}
		if time.Now().After(deadline) {
			t.Fatal("the cron pass logged no bench io")
		}
	}
}

func countOne(t *testing.T, e *workertest.Env, r *http.Request) ioCounts {
	t.Helper()
	r.Header.Set("x-bench-io", "1")
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	var n ioCounts
	if err := json.Unmarshal([]byte(resp.Header.Get("x-bench-io")), &n); err != nil {
		t.Fatalf("%s %s: x-bench-io %q: %v", r.Method, r.URL.Path, resp.Header.Get("x-bench-io"), err)
	}
	return n
}

// measure sends n requests of w one after another and returns the workerd
// CPU and wall time per request.
func measure(t *testing.T, w workload, n int) sample {
	t.Helper()
	user, proxy := workerdPIDs(t, w.env)
	u0, p0, start := cpu(t, user), cpu(t, proxy), time.Now()
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for i := 0; i < n; i++ {
		resp, err := c.Do(w.req(i))
		if err != nil {
			t.Fatalf("%s: %v", w.name, err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		want := w.want
		if want == 0 {
			want = 200
		}
		if resp.StatusCode != want {
			t.Fatalf("%s: status %d, want %d", w.name, resp.StatusCode, want)
		}
	}
	wall := time.Since(start)
	u1, p1 := cpu(t, user), cpu(t, proxy)
	return sample{user: (u1 - u0) / time.Duration(n), proxy: (p1 - p0) / time.Duration(n), wall: wall / time.Duration(n)}
}

// workerdPIDs and cpu are workertest's, failing t.
func workerdPIDs(t *testing.T, e *workertest.Env) (user, proxy int) {
	t.Helper()
	user, proxy, err := e.WorkerdPIDs()
	if err != nil {
		t.Fatal(err)
	}
	return user, proxy
}

func cpu(t *testing.T, pid int) time.Duration {
	t.Helper()
	d, err := workertest.ProcessCPU(pid)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func median(s []sample, f func(sample) time.Duration) time.Duration {
	v := make([]time.Duration, len(s))
	for i := range s {
		v[i] = f(s[i])
	}
	return workertest.Median(v)
}

func ms(d time.Duration) string {
	return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 2, 64)
}

// size formats raw and gzip -9 sizes (the gzip binary, else compress/gzip).
func size(t *testing.T, b []byte) string {
	var gz int
	cmd := exec.Command("gzip", "-9", "-c")
	cmd.Stdin = bytes.NewReader(b)
	if out, err := cmd.Output(); err == nil {
		gz = len(out)
	} else {
		var buf bytes.Buffer
		w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		w.Write(b)
		w.Close()
		gz = buf.Len()
	}
	return fmt.Sprintf("%d B raw, %d B gzip -9", len(b), gz)
}

func get(u string) *http.Request {
	r, _ := http.NewRequest("GET", u, nil)
	return r
}

func post(u, body string) *http.Request {
	r, _ := http.NewRequest("POST", u, strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return r
}

// benchIOCron marks the one scheduled pass the pool counts (pool.mjs's
// BENCH_IO_CRON); the timed passes carry the Worker's real cron string.
const benchIOCron = "bench-io"

func scheduledReq(e *workertest.Env) *http.Request {
	return get(e.URL + "/cdn-cgi/handler/scheduled?cron=" + strings.ReplaceAll(workertest.Cron, " ", "+"))
}

func send(t *testing.T, r *http.Request, want int) *http.Response {
	t.Helper()
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != want {
		t.Fatalf("%s %s = %d, want %d", r.Method, r.URL.Path, resp.StatusCode, want)
	}
	return resp
}
