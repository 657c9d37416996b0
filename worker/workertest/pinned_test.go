package workertest_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paylastic/edge/internal/testsupport"
)

// syumaiPatch is the change syumai/workers v0.33.0 makes to Go's
// wasm_exec.js: run takes the instance's runtime context and Go's global
// object is a Proxy of globalThis that answers "context" with it (syumai's
// Go packages read env, ctx and binding from there).
var syumaiPatch = []struct{ from, to string }{
	{"\t\tasync run(instance) {", "\t\tasync run(instance, context) {"},
	{"\t\t\tthis._values = [ // JS values that Go currently has references to, indexed by reference id\n\t\t\t\tNaN,\n\t\t\t\t0,\n\t\t\t\tnull,\n\t\t\t\ttrue,\n\t\t\t\tfalse,\n\t\t\t\tglobalThis,",
		"\t\t\tconst globalProxy = new Proxy(globalThis, {\n\t\t\t\tget(target, prop) {\n\t\t\t\t\tif (prop === 'context') {\n\t\t\t\t\t\treturn context;\n\t\t\t\t\t}\n\t\t\t\t\treturn Reflect.get(target, prop, target);\n\t\t\t\t}\n\t\t\t})\n\t\t\tthis._values = [ // JS values that Go currently has references to, indexed by reference id\n\t\t\t\tNaN,\n\t\t\t\t0,\n\t\t\t\tnull,\n\t\t\t\ttrue,\n\t\t\t\tfalse,\n\t\t\t\tglobalProxy,"},
	{"\t\t\t\t[globalThis, 5],", "\t\t\t\t[globalProxy, 5],"},
}

// TestPinnedRuntime pins what the Worker's entry leans on, so that a Go or
// syumai upgrade that changes it fails here and not in production:
// worker/js/wasm_exec.js must be this toolchain's lib/wasm/wasm_exec.js with
// syumai's patch and nothing else, syumai's own copy (the module's version
// in go.mod) must be the same file, and every internal of wasm_exec.js
// that pool.mjs uses must still be there.
func TestPinnedRuntime(t *testing.T) {
	root, err := testsupport.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatal(err)
	}
	upstream, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(goroot)), "lib", "wasm", "wasm_exec.js"))
	if err != nil {
		t.Fatal(err)
	}
	want := string(upstream)
	for _, p := range syumaiPatch {
		if strings.Count(want, p.from) != 1 {
			t.Fatalf("Go's wasm_exec.js changed: %q is not there exactly once; review pool.mjs and syumai's patch before upgrading", p.from)
		}
		want = strings.Replace(want, p.from, p.to, 1)
	}
	ours, err := os.ReadFile(filepath.Join(root, "worker", "js", "wasm_exec.js"))
	if err != nil {
		t.Fatal(err)
	}
	if string(ours) != want {
		t.Error("worker/js/wasm_exec.js is not Go's lib/wasm/wasm_exec.js with syumai's patch")
	}
	modDir, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/syumai/workers").Output()
	if err != nil {
		t.Fatal(err)
	}
	syumai, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(modDir)), "cmd", "workers-assets-gen", "assets", "wasm_exec_go.js"))
	if err != nil {
		t.Fatal(err)
	}
	if string(syumai) != string(ours) {
		t.Error("syumai's wasm_exec_go.js differs from worker/js/wasm_exec.js: a new syumai version; review its patch")
	}
	for _, internal := range []string{
		`"runtime.scheduleTimeoutEvent": (sp) => {`,
		`"runtime.clearTimeoutEvent": (sp) => {`,
		"this._scheduledTimeouts = new Map();",
		"this._nextCallbackTimeoutID = 1;",
		"const id = this.mem.getInt32(sp + 8, true);",
		"getInt64(sp + 8),\n\t\t\t\t\t\t));\n\t\t\t\t\t\tthis.mem.setInt32(sp + 16, id, true);",
		"this.exit(code);",
		"\t\t_resume() {",
		"go._resume();",
		"this._inst.exports.resume();",
	} {
		if !strings.Contains(string(ours), internal) {
			t.Errorf("wasm_exec.js no longer has %q, which pool.mjs relies on", internal)
		}
	}
}
