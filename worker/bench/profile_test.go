//go:build workerbench

package bench

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode"

	"github.com/paylastic/edge/internal/testsupport"
	"github.com/paylastic/edge/worker/workertest"
)

// TestProfile writes a V8 CPU profile of every route in workerd to
// $PAYLASTIC_BENCH_PROFILE (a directory): <route>.cpuprofile, for DevTools
// or speedscope, and <route>.txt, the functions with the most self time and
// the most total time. The Worker is built here without -s, so that Go's
// functions keep their names in app.wasm. PAYLASTIC_BENCH_N requests per
// route (200), after 20 to warm up.
//
//	PAYLASTIC_WORKER_TEST=1 PAYLASTIC_BENCH_PROFILE=/tmp/prof \
//	  go test -tags workerbench -run '^TestProfile$' -v ./worker/bench
func TestProfile(t *testing.T) {
	workertest.Skip(t)
	out := os.Getenv("PAYLASTIC_BENCH_PROFILE")
	if out == "" {
		t.Skip("set PAYLASTIC_BENCH_PROFILE to a directory for the profiles")
	}
	n := workertest.EnvInt("PAYLASTIC_BENCH_N", 200)
	root, err := testsupport.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range []string{"worker.mjs", "pool.mjs", "wasm_exec.js"} {
		b, err := os.ReadFile(filepath.Join(root, "worker", "js", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	build := exec.Command("go", "build", "-tags", "stdjson", "-trimpath", "-o", filepath.Join(dir, "app.wasm"), "./worker")
	build.Dir, build.Env = root, append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if b, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, b)
	}
	app, err := workertest.ReadWorker(dir)
	if err != nil {
		t.Fatal(err)
	}
	_, _, works := routes(t, app, 20+n)
	for _, w := range works {
		measure(t, w, 20)
		file := filepath.Join(out, slug(w.name))
		prof := exec.Command("node", filepath.Join(root, "worker", "bench", "profile", "cdp.mjs"), w.env.Inspector, file+".cpuprofile")
		prof.Dir, prof.Stderr = root, os.Stderr
		stdin, err := prof.StdinPipe()
		if err != nil {
			t.Fatal(err)
		}
		stdout, err := prof.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := prof.Start(); err != nil {
			t.Fatal(err)
		}
		if line, err := bufio.NewReader(stdout).ReadString('\n'); err != nil || strings.TrimSpace(line) != "started" {
			t.Fatalf("profiler: %q %v", line, err)
		}
		s := measure(t, w, n)
		stdin.Close()
		if err := prof.Wait(); err != nil {
			t.Fatalf("profiler: %v", err)
		}
		top, err := summarize(file+".cpuprofile", n)
		if err != nil {
			t.Fatal(err)
		}
		report := fmt.Sprintf("%s: %s ms user workerd CPU per request while profiled\n%s", w.name, ms(s.user), top)
		if err := os.WriteFile(file+".txt", []byte(report), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Log("\n" + report)
	}
}

func slug(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		switch {
		case unicode.IsLetter(r), unicode.IsDigit(r):
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	return strings.Trim(b.String(), "-")
}

// cpuProfile is the part of DevTools' Profile read here.
type cpuProfile struct {
	Nodes []struct {
		ID        int `json:"id"`
		CallFrame struct {
			FunctionName string `json:"functionName"`
			URL          string `json:"url"`
		} `json:"callFrame"`
		Children []int `json:"children"`
	} `json:"nodes"`
	Samples    []int   `json:"samples"`
	TimeDeltas []int64 `json:"timeDeltas"`
}

// summarize lists the 30 functions with the most self time and the 30
// with the most total time (each counted once per stack), in ms per
// request of n; "(idle)" and "(program)" are left out of the totals.
func summarize(file string, n int) (string, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return "", err
	}
	var p cpuProfile
	if err := json.Unmarshal(b, &p); err != nil {
		return "", fmt.Errorf("%s: %w", file, err)
	}
	parent := map[int]int{}
	name := map[int]string{}
	for _, nd := range p.Nodes {
		name[nd.ID] = nd.CallFrame.FunctionName
		if name[nd.ID] == "" {
			name[nd.ID] = "(anonymous " + filepath.Base(nd.CallFrame.URL) + ")"
		}
		for _, c := range nd.Children {
			parent[c] = nd.ID
		}
	}
	self, total := map[string]int64{}, map[string]int64{}
	var busy int64
	for i, id := range p.Samples {
		if i+1 >= len(p.TimeDeltas) {
			break
		}
		d := p.TimeDeltas[i+1] // µs until the next sample
		if name[id] == "(idle)" || name[id] == "(program)" || name[id] == "(root)" {
			continue
		}
		busy += d
		self[name[id]] += d
		seen := map[string]bool{}
		for x := id; x != 0; x = parent[x] {
			if !seen[name[x]] {
				seen[name[x]] = true
				total[name[x]] += d
			}
		}
	}
	per := func(us int64) string { return fmt.Sprintf("%7.3f", float64(us)/1000/float64(n)) }
	top := func(m map[string]int64) string {
		type kv struct {
			k string
			v int64
		}
		var l []kv
		for k, v := range m {
			l = append(l, kv{k, v})
		}
		sort.Slice(l, func(i, j int) bool { return l[i].v > l[j].v })
		var s strings.Builder
		for i := 0; i < len(l) && i < 30; i++ {
			fmt.Fprintf(&s, "  %s ms  %s\n", per(l[i].v), l[i].k)
		}
		return s.String()
	}
	return fmt.Sprintf("JavaScript and Go in the Worker's isolate: %s ms per request\nself:\n%stotal:\n%s", per(busy), top(self), top(total)), nil
}
