//go:build workerbench

package bench

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/paylastic/edge/internal/testsupport"
	"github.com/paylastic/edge/worker/workertest"
)

// TestHostCalls measures what one round trip from Go to JavaScript costs a
// request's own CPU in workerd, and what making several at once saves: the
// reason the product reads independent records together (kv.GetMany,
// kv.ListMany, the operator read during the event's claim). A request of a
// -tags workertest build (make worker-test, PAYLASTIC_WORKER_DIR) reads 10
// missing KV keys one after another, then from 10 goroutines at once, next
// to the JS twin's 10 reads and to 0 reads, in one run.
func TestHostCalls(t *testing.T) {
	workertest.Skip(t)
	dir := os.Getenv("PAYLASTIC_WORKER_DIR")
	if dir == "" {
		t.Skip("set PAYLASTIC_WORKER_DIR to a -tags workertest build (make worker-test)")
	}
	root, err := testsupport.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	app, err := workertest.ReadWorker(dir)
	if err != nil {
		t.Fatal(err)
	}
	twinJS, err := os.ReadFile(filepath.Join(root, "worker", "bench", "twin", "worker.mjs"))
	if err != nil {
		t.Fatal(err)
	}
	pe := launch(t, workertest.Options{Files: app, Env: map[string]string{"PAYLASTIC_TEST_HOOKS": "1"}})
	te := launch(t, workertest.Options{Files: map[string][]byte{"worker.mjs": twinJS}, Env: twinSQL()})
	const calls = 10
	at := func(url string) func(int) *http.Request { return func(int) *http.Request { return get(url) } }
	ws := []workload{
		{name: "Go, no read", env: pe, req: at(pe.URL + "/_test/kvgets?n=0")},
		{name: fmt.Sprintf("Go, %d reads one after another", calls), env: pe, req: at(fmt.Sprintf("%s/_test/kvgets?n=%d", pe.URL, calls))},
		{name: fmt.Sprintf("Go, %d reads at once", calls), env: pe, req: at(fmt.Sprintf("%s/_test/kvgets?n=%d&par=1", pe.URL, calls))},
		{name: fmt.Sprintf("Go, %d calls without I/O", calls), env: pe, req: at(fmt.Sprintf("%s/_test/nops?n=%d", pe.URL, calls))},
		{name: "JS twin, no read", env: te, req: at(te.URL + "/io?get=0")},
		{name: fmt.Sprintf("JS twin, %d reads", calls), env: te, req: at(fmt.Sprintf("%s/io?get=%d", te.URL, calls))},
	}
	n, runs := workertest.EnvInt("PAYLASTIC_BENCH_N", 200), workertest.EnvInt("PAYLASTIC_BENCH_RUNS", 5)
	for _, w := range ws {
		measure(t, w, 20)
	}
	res := make([][]sample, len(ws))
	for r := 0; r < runs; r++ {
		for i, w := range ws {
			res[i] = append(res[i], measure(t, w, n))
		}
	}
	med := func(i int) time.Duration { return median(res[i], func(s sample) time.Duration { return s.user }) }
	var b strings.Builder
	fmt.Fprintf(&b, "workerd CPU per request, median of %d runs of %d, in one run:\n", runs, n)
	for i, w := range ws {
		fmt.Fprintf(&b, "%-34s %7s ms\n", w.name, ms(med(i)))
	}
	per := func(i, base int) string { return ms((med(i) - med(base)) / calls) }
	fmt.Fprintf(&b, "per read: Go one after another %s ms, Go at once %s ms, JS %s ms; per call without I/O: Go %s ms\n", per(1, 0), per(2, 0), per(5, 4), per(3, 0))
	t.Log("\n" + b.String())
}
