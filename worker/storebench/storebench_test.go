//go:build storebench

package storebench

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/paylastic/edge/core/cas/sqlcas"
	"github.com/paylastic/edge/internal/testsupport"
	"github.com/paylastic/edge/worker/workertest"
)

// config is both bench Workers' wrangler.toml: the D1 binding as in the
// repository's wrangler.toml, and the Durable Object class with its SQLite
// migration.
const config = `name = "paylastic-storebench"
main = "%s"
compatibility_date = "2026-04-20"
send_metrics = false

[[d1_databases]]
binding = "DB"
database_name = "paylastic"
database_id = "00000000-0000-0000-0000-000000000000"

[[durable_objects.bindings]]
name = "CHECKS"
class_name = "CheckDO"

[[migrations]]
tag = "v1"
new_sqlite_classes = ["CheckDO"]
`

// A paid check's storage operations (the brief's estimate: 1 insert, 4–6
// conditional updates, 6–10 reads).
const checkInserts, checkUpdates, checkReads = 1, 5, 8

// Free plan daily limits (https://developers.cloudflare.com/d1/platform/pricing/,
// https://developers.cloudflare.com/durable-objects/platform/pricing/).
const (
	freeRowsRead    = 5_000_000
	freeRowsWritten = 100_000
	freeDORequests  = 100_000
	freeDOGBs       = 13_000
	doGB            = 0.128 // duration is billed for 128 MB per active object
)

type answer struct {
	Version     int64 `json:"version"`
	RowsRead    int64 `json:"rows_read"`
	RowsWritten int64 `json:"rows_written"`
}

// worker is one bench Worker under wrangler dev.
type worker struct {
	name string
	env  *workertest.Env
	user int // pid of the workerd running it
	keys map[string]int64
}

func (w *worker) call(t *testing.T, path string, q map[string]string) answer {
	t.Helper()
	v := make([]string, 0, len(q))
	for k, val := range q {
		v = append(v, k+"="+val)
	}
	resp, err := http.Post(w.env.URL+path+"?"+strings.Join(v, "&"), "text/plain", nil)
	if err != nil {
		t.Fatalf("%s %s: %v", w.name, path, err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("%s %s: %d %s", w.name, path, resp.StatusCode, b)
	}
	var a answer
	if path != "/noop" {
		if err := json.Unmarshal(b, &a); err != nil {
			t.Fatalf("%s %s: %q: %v", w.name, path, b, err)
		}
	}
	return a
}

// op is one kind of measured request.
type op struct {
	name, path string
	n          int // operations per request
}

type sample struct {
	cpu, wall     time.Duration // per request
	read, written float64       // rows per operation (JavaScript Worker's meters)
}

// TestStoreBench measures. Knobs: PAYLASTIC_BENCH_N requests per run (20),
// PAYLASTIC_BENCH_RUNS runs (5), PAYLASTIC_BENCH_OPS operations per request
// (10), PAYLASTIC_BENCH_SIZE value bytes (600).
func TestStoreBench(t *testing.T) {
	workertest.Skip(t)
	reqs, runs := workertest.EnvInt("PAYLASTIC_BENCH_N", 20), workertest.EnvInt("PAYLASTIC_BENCH_RUNS", 5)
	nops, size := workertest.EnvInt("PAYLASTIC_BENCH_OPS", 10), workertest.EnvInt("PAYLASTIC_BENCH_SIZE", 600)
	root, err := testsupport.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	read := func(p string) []byte {
		b, err := os.ReadFile(filepath.Join(root, "worker/storebench", p))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	goDir := t.TempDir()
	if err := workertest.Build(root, goDir, "./worker/storebench/gobench", workertest.EntrySyumai); err != nil {
		t.Fatal(err)
	}
	goFiles, err := workertest.ReadWorker(goDir)
	if err != nil {
		t.Fatal(err)
	}
	goFiles["check_do.mjs"], goFiles["entry.mjs"] = read("js/check_do.mjs"), read("gobench/entry.mjs")
	jsFiles := map[string][]byte{"worker.mjs": read("js/worker.mjs"), "check_do.mjs": read("js/check_do.mjs")}
	flat := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	sqlVars := map[string]string{"SQL_INSERT": flat(sqlcas.SQLInsert), "SQL_UPDATE": flat(sqlcas.SQLUpdate), "SQL_GET": flat(sqlcas.SQLGet)}

	var ws []*worker
	for _, c := range []struct {
		name, main string
		files      map[string][]byte
	}{{"JavaScript", "worker.mjs", jsFiles}, {"Go", "entry.mjs", goFiles}} {
		e, err := workertest.Launch(workertest.Options{Config: fmt.Sprintf(config, c.main), Files: c.files, Env: sqlVars})
		if err != nil {
			t.Fatal(err)
		}
		defer e.Close()
		user, _, err := e.WorkerdPIDs()
		if err != nil {
			t.Fatal(err)
		}
		ws = append(ws, &worker{name: c.name, env: e, user: user, keys: map[string]int64{}})
	}
	probeDriver(t, ws[0], ws[1])

	exp := strconv.FormatInt(time.Now().Add(48*time.Hour).UnixMilli(), 10)
	ops := []op{{"noop", "/noop", 0}}
	for _, store := range []string{"d1", "do"} {
		ops = append(ops, op{store + " insert", "/" + store + "/insert", nops}, op{store + " update", "/" + store + "/update", nops}, op{store + " read", "/" + store + "/read", nops})
	}
	seq := 0
	measure := func(w *worker, o op, n int) sample {
		t.Helper()
		store := strings.SplitN(o.path, "/", 3)[1]
		if _, ok := w.keys[store]; !ok && store != "noop" { // the record that updates and reads work on
			a := w.call(t, "/"+store+"/insert", map[string]string{"key": "rec-" + store + "-", "n": "1", "size": strconv.Itoa(size), "exp": exp})
			w.keys[store] = a.Version
		}
		c0, _ := workertest.ProcessCPU(w.user)
		start := time.Now()
		var s sample
		for range n {
			seq++
			q := map[string]string{"n": strconv.Itoa(o.n), "size": strconv.Itoa(size), "exp": exp, "key": "rec-" + store + "-0"}
			switch {
			case strings.HasSuffix(o.path, "/insert"):
				q["key"] = fmt.Sprintf("ins-%d-", seq)
			case strings.HasSuffix(o.path, "/update"):
				q["v"] = strconv.FormatInt(w.keys[store], 10)
			}
			a := w.call(t, o.path, q)
			if strings.HasSuffix(o.path, "/update") {
				w.keys[store] = a.Version
			}
			if o.n > 0 {
				s.read += float64(a.RowsRead) / float64(o.n*n)
				s.written += float64(a.RowsWritten) / float64(o.n*n)
			}
		}
		c1, _ := workertest.ProcessCPU(w.user)
		s.cpu, s.wall = (c1-c0)/time.Duration(n), time.Since(start)/time.Duration(n)
		return s
	}
	results := map[string][]sample{}
	for _, w := range ws {
		for _, o := range ops {
			measure(w, o, 5) // warm up
		}
	}
	for range runs {
		for _, w := range ws {
			for _, o := range ops {
				results[w.name+" "+o.name] = append(results[w.name+" "+o.name], measure(w, o, reqs))
			}
		}
	}

	var out strings.Builder
	fmt.Fprintf(&out, "workerd CPU (user workerd: the Worker and its Durable Objects) and wall time, median of %d runs of %d requests of %d operations, %d-byte values;\n", runs, reqs, nops, size)
	fmt.Fprintf(&out, "per operation = (request - noop request) / operations; rows as D1's meta and the Durable Object's SQL cursor count them:\n\n")
	fmt.Fprintf(&out, "| from | operation | CPU ms/op | wall ms/op | rows read/op | rows written/op | CPU ms per request, each run |\n|---|---|---|---|---|---|---|\n")
	perOp := map[string][2]float64{} // cpu, wall in ms
	rowsOf := map[string][2]float64{}
	for _, w := range ws {
		noop := results[w.name+" noop"]
		nc, nw := med(noop, func(s sample) float64 { return ms(s.cpu) }), med(noop, func(s sample) float64 { return ms(s.wall) })
		fmt.Fprintf(&out, "| %s | noop request | %.2f (per request) | %.2f | | | %s |\n", w.name, nc, nw, runsOf(noop))
		for _, o := range ops[1:] {
			r := results[w.name+" "+o.name]
			c := (med(r, func(s sample) float64 { return ms(s.cpu) }) - nc) / float64(o.n)
			wl := (med(r, func(s sample) float64 { return ms(s.wall) }) - nw) / float64(o.n)
			rr, rw := med(r, func(s sample) float64 { return s.read }), med(r, func(s sample) float64 { return s.written })
			perOp[w.name+" "+o.name] = [2]float64{c, wl}
			if w.name == "JavaScript" {
				rowsOf[o.name] = [2]float64{rr, rw}
			}
			rows := [2]string{fmt.Sprintf("%.1f", rr), fmt.Sprintf("%.1f", rw)}
			if w.name == "Go" {
				rows = [2]string{"(as JS)", "(as JS)"}
			}
			fmt.Fprintf(&out, "| %s | %s | %.3f | %.3f | %s | %s | %s |\n", w.name, o.name, c, wl, rows[0], rows[1], runsOf(r))
		}
	}
	fmt.Fprintf(&out, "\nA paid check (%d insert, %d conditional updates, %d reads) against the Free plan's daily limits:\n\n", checkInserts, checkUpdates, checkReads)
	fmt.Fprintf(&out, "| store | from | CPU ms | wall ms | rows read | rows written | DO requests | DO GB-s | paid checks/day within the limits |\n|---|---|---|---|---|---|---|---|---|\n")
	for _, store := range []string{"d1", "do"} {
		for _, w := range ws {
			k := func(o string) [2]float64 { return perOp[w.name+" "+store+" "+o] }
			cpu := checkInserts*k("insert")[0] + checkUpdates*k("update")[0] + checkReads*k("read")[0]
			wall := checkInserts*k("insert")[1] + checkUpdates*k("update")[1] + checkReads*k("read")[1]
			rr := checkInserts*rowsOf[store+" insert"][0] + checkUpdates*rowsOf[store+" update"][0] + checkReads*rowsOf[store+" read"][0]
			rw := checkInserts*rowsOf[store+" insert"][1] + checkUpdates*rowsOf[store+" update"][1] + checkReads*rowsOf[store+" read"][1]
			limit := min(freeRowsRead/rr, freeRowsWritten/rw)
			reqCol, gbsCol := "-", "-"
			if store == "do" {
				n := float64(checkInserts + checkUpdates + checkReads)
				gbs := wall / 1000 * doGB // active while it serves (no WebSocket: it may hibernate between requests)
				limit = min(limit, freeDORequests/n, freeDOGBs/gbs)
				reqCol, gbsCol = fmt.Sprintf("%.0f", n), fmt.Sprintf("%.4f", gbs)
			}
			fmt.Fprintf(&out, "| %s | %s | %.2f | %.1f | %.0f | %.0f | %s | %s | %.0f |\n", store, w.name, cpu, wall, rr, rw, reqCol, gbsCol, limit)
		}
	}
	fmt.Fprintf(&out, "\nGlue code (lines that are neither blank nor comments):\n\n")
	for _, g := range []struct {
		store string
		files []string
	}{
		{"D1", []string{"worker/d1/d1.go", "core/cas/sqlcas/schema.sql"}},
		{"Durable Object", []string{"worker/storebench/js/check_do.mjs", "worker/storebench/gobench/dostore.go", "worker/storebench/gobench/entry.mjs"}},
	} {
		var parts []string
		total := 0
		for _, f := range g.files {
			n := codeLines(t, filepath.Join(root, f))
			total += n
			parts = append(parts, fmt.Sprintf("%s %d", f, n))
		}
		fmt.Fprintf(&out, "- %s: %d (%s), plus the wrangler.toml binding\n", g.store, total, strings.Join(parts, ", "))
	}
	t.Log("\n" + out.String())
}

// probeDriver compares what D1 reports to what database/sql over syumai's
// driver reports for the same statements, and logs both.
func probeDriver(t *testing.T, js, gw *worker) {
	t.Helper()
	get := func(w *worker) map[string]any {
		resp, err := http.Get(w.env.URL + "/d1/probe")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&m); err != nil || resp.StatusCode != 200 {
			t.Fatalf("%s /d1/probe: %d %v", w.name, resp.StatusCode, err)
		}
		return m
	}
	jm, gm := get(js), get(gw)
	jc, gc := jm["changes"].(map[string]any), gm["changes"].(map[string]any)
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range jc {
			if !yield(k) {
				return
			}
		}
	}) {
		want := fmt.Sprintf("%v <nil>", jc[k])
		if gc[k] != want {
			t.Errorf("%s: RowsAffected (and its error) = %v; D1's meta.changes = %v", k, gc[k], jc[k])
		}
	}
	pretty := func(v any) string { b, _ := json.MarshalIndent(v, "  ", "  "); return string(b) }
	t.Logf("D1 (JavaScript) answers:\n  %s\ndatabase/sql over syumai's d1 driver answers:\n  %s", pretty(jm), pretty(gm))
}

func codeLines(t *testing.T, path string) int {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		l := strings.TrimSpace(sc.Text())
		if l != "" && !strings.HasPrefix(l, "//") && !strings.HasPrefix(l, "--") && !strings.HasPrefix(l, "*") {
			n++
		}
	}
	return n
}

func med(s []sample, f func(sample) float64) float64 {
	v := make([]float64, len(s))
	for i := range s {
		v[i] = f(s[i])
	}
	return workertest.Median(v)
}

func runsOf(s []sample) string {
	var out []string
	for _, x := range s {
		out = append(out, fmt.Sprintf("%.1f", ms(x.cpu)))
	}
	return strings.Join(out, " ")
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
