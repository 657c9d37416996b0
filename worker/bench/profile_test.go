//go:build workerbench

package bench

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
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
// route (200), after 20 to warm up; PAYLASTIC_BENCH_INTERVAL µs between
// samples (50; 1000 distorts little, "How to read a profile" in RATIONALE).
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
	interval := workertest.EnvInt("PAYLASTIC_BENCH_INTERVAL", 50) // µs between samples
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
		prof := exec.Command("node", filepath.Join(root, "worker", "bench", "profile", "cdp.mjs"), w.env.Inspector, file+".cpuprofile", strconv.Itoa(interval))
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
		top, err := summarize(file+".cpuprofile", n, sampleCap(interval))
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
