package workertest_test

import (
	"os"
	"sync"
	"testing"

	"github.com/paylastic/edge/worker/workertest"
)

// One wrangler dev serves every test of this package: starting one takes
// seconds. Tests use their own keys, merchants and chats, so they can share.
var shared struct {
	once sync.Once
	env  *workertest.Env
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.env != nil {
		shared.env.Close()
	}
	os.Exit(code)
}

// worker returns the shared Worker, starting it on first use.
func worker(t *testing.T) *workertest.Env {
	t.Helper()
	workertest.Skip(t)
	files := workertest.WorkerFiles(t)
	shared.once.Do(func() { shared.env, shared.err = workertest.Launch(workertest.Options{Files: files}) })
	if shared.err != nil {
		t.Fatalf("start wrangler dev: %v", shared.err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("wrangler dev output (last 8 KiB):\n%s", tail(shared.env.Output(), 8<<10))
		}
	})
	return shared.env
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}
