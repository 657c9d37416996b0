package workertest

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/paylastic/edge/internal/testsupport"
)

// Files a built Worker directory may hold: the product's entry
// (worker/js: worker.mjs, pool.mjs, wasm_exec.js) or syumai's generated one
// (worker.mjs, runtime.mjs, wasm_exec.js), and app.wasm.
var workerFiles = []string{"worker.mjs", "pool.mjs", "runtime.mjs", "wasm_exec.js", "app.wasm"}

// The JavaScript entries Build can put next to app.wasm.
const (
	// EntryPool is the product's own entry, worker/js: long-lived pooled
	// Go instances (the deployed Worker).
	EntryPool = "pool"
	// EntrySyumai is syumai's generated entry: a fresh Go instance and
	// main() per event. The hello-world bench Worker and the "before"
	// bench runs use it.
	EntrySyumai = "syumai"
)

var (
	buildOnce  sync.Once
	buildFiles map[string][]byte
	buildErr   error
)

// WorkerFiles returns the Worker built with -tags workertest, file name to
// contents: read from $PAYLASTIC_WORKER_DIR (make worker-test builds it once
// for every package), or else built into a temporary directory that is
// removed at once. Either happens once per test binary.
func WorkerFiles(t testing.TB) map[string][]byte {
	t.Helper()
	buildOnce.Do(func() {
		dir := os.Getenv("PAYLASTIC_WORKER_DIR")
		if dir == "" {
			root, err := testsupport.RepoRoot()
			if err != nil {
				buildErr = err
				return
			}
			if dir, buildErr = os.MkdirTemp("", "paylastic-worker-"); buildErr != nil {
				return
			}
			defer os.RemoveAll(dir)
			if buildErr = Build(root, dir, "./worker", EntryPool, "stdjson", "workertest"); buildErr != nil {
				return
			}
		}
		buildFiles, buildErr = ReadWorker(dir)
	})
	if buildErr != nil {
		t.Fatalf("build worker: %v", buildErr)
	}
	return buildFiles
}

// ReadWorker reads the files of a built Worker directory (such as build/
// after make worker): its entry's files and app.wasm.
func ReadWorker(dir string) (map[string][]byte, error) {
	files := map[string][]byte{}
	for _, f := range workerFiles {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if errors.Is(err, os.ErrNotExist) && f != "worker.mjs" && f != "app.wasm" {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("worker file: %w", err)
		}
		files[f] = b
	}
	return files, nil
}

// Build compiles the Go Worker package pkg (relative to root) with tags into
// dir/app.wasm, and puts the JavaScript entry next to it: EntryPool copies
// worker/js, as make worker does; EntrySyumai generates syumai's shim.
func Build(root, dir, pkg, entry string, tags ...string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	switch entry {
	case EntryPool:
		for _, f := range []string{"worker.mjs", "pool.mjs", "wasm_exec.js"} {
			if err := copyFile(filepath.Join(dir, f), filepath.Join(root, "worker", "js", f)); err != nil {
				return err
			}
		}
	case EntrySyumai:
		gen, err := os.MkdirTemp("", "assets-gen-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(gen)
		out := filepath.Join(gen, "out") // workers-assets-gen wipes its output dir
		if err := run(root, nil, "go", "run", "github.com/syumai/workers/cmd/workers-assets-gen", "-mode", "go", "-o", out); err != nil {
			return err
		}
		for _, f := range []string{"worker.mjs", "runtime.mjs", "wasm_exec.js"} {
			if err := copyFile(filepath.Join(dir, f), filepath.Join(out, f)); err != nil {
				return err
			}
		}
	default:
		return fmt.Errorf("no such Worker entry %q", entry)
	}
	args := []string{"build", "-trimpath", "-ldflags=-s -w", "-o", filepath.Join(dir, "app.wasm")}
	if len(tags) > 0 {
		args = append(args, "-tags", strings.Join(tags, ","))
	}
	return run(root, []string{"GOOS=js", "GOARCH=wasm"}, "go", append(args, pkg)...)
}

func run(dir string, env []string, name string, args ...string) error {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%s %s: %v\n%s", name, strings.Join(args, " "), err, b)
	}
	return nil
}

// copyFile copies src to dst.
func copyFile(dst, src string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
