package workertest_test

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"testing"
	"time"

	"github.com/paylastic/edge/core/cas"
	"github.com/paylastic/edge/core/cas/castest"
	"github.com/paylastic/edge/core/cas/castest/cashttp"
	"github.com/paylastic/edge/worker/workertest"
)

// TestCASConformance runs the cas conformance suite against D1 in workerd,
// through the Worker's store (worker/d1: package sqlcas over its driver and the
// pool's sql host function), on the schema `wrangler d1 execute --local`
// applied (workertest does it as make dev does). Every operation is a
// Worker request; the races race across the pool's instances.
func TestCASConformance(t *testing.T) {
	e := worker(t)
	castest.Run(t, func(t *testing.T, now func() time.Time) cas.Store { return e.CAS(now) })
}

// TestCASRoutesLocked: the Worker's cas routes answer only with
// PAYLASTIC_TEST_HOOKS=1 (the build tag is the other lock: make worker
// never compiles testroutes_cas.go).
func TestCASRoutesLocked(t *testing.T) {
	e := workertest.Start(t, workertest.Options{Env: map[string]string{"PAYLASTIC_TEST_HOOKS": "0"}})
	resp, err := http.Get(e.URL + "/_test/cas/get?key=probe")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode == http.StatusOK || resp.Header.Get(cashttp.ErrorHeader) != "" {
		t.Fatalf("GET /_test/cas/get with hooks off = %d %s %.100q; want the product's 404", resp.StatusCode, resp.Header.Get(cashttp.ErrorHeader), b)
	}
}

// TestWranglerTomlD1: the repository's wrangler.toml binds the D1 database
// the Worker's store opens, with the name make dev's schema step uses.
func TestWranglerTomlD1(t *testing.T) {
	b, err := os.ReadFile("../../wrangler.toml")
	if err != nil {
		t.Fatal(err)
	}
	block := regexp.MustCompile(`(?m)^\[\[d1_databases\]\]\n((?:[a-z_]+ = .*\n)+)`).FindSubmatch(b)
	if block == nil {
		t.Fatal("wrangler.toml has no [[d1_databases]] block")
	}
	for _, want := range []string{fmt.Sprintf("binding = %q", workertest.D1Binding), `database_name = "paylastic"`, "database_id = "} {
		if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(want)).Match(block[1]) {
			t.Errorf("wrangler.toml [[d1_databases]] lacks %s:\n%s", want, block[1])
		}
	}
}
