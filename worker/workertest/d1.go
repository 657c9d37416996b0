package workertest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"

	"github.com/paylastic/edge/core/cas/sqlcas"
)

// D1Binding is the Worker's D1 database binding (wrangler.toml
// [[d1_databases]]), which holds the consistent store (package sqlcas).
const D1Binding = "DB"

// hasD1 finds a D1 binding in a wrangler.toml.
var hasD1 = regexp.MustCompile(`(?m)^\[\[d1_databases\]\]`)

// migrateD1 applies the cas schema to the local D1 database of the Worker
// configured in dir, exactly as `make dev` and the deploy guide do
// (wrangler d1 execute DB --local --file core/cas/sqlcas/schema.sql), into
// the state directory wrangler dev then persists to. Nothing happens when
// the configuration has no D1 database.
func migrateD1(cli, dir string) error {
	conf, err := os.ReadFile(filepath.Join(dir, "wrangler.toml"))
	if err != nil || !hasD1.Match(conf) {
		return err
	}
	schema := filepath.Join(dir, "schema.sql")
	if err := os.WriteFile(schema, []byte(sqlcas.Schema), 0o644); err != nil {
		return err
	}
	cmd := exec.Command("node", "--no-warnings", cli, "d1", "execute", D1Binding, "--local",
		"--config", filepath.Join(dir, "wrangler.toml"),
		"--persist-to", filepath.Join(dir, "state"),
		"--file", schema, "--yes")
	cmd.Dir, cmd.Env = dir, wranglerEnv()
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("wrangler d1 execute %s --local: %w\n%s", D1Binding, err, out)
	}
	return nil
}

// wranglerEnv is the environment of every wrangler command the tests run.
func wranglerEnv() []string {
	return append(os.Environ(),
		"WRANGLER_SEND_METRICS=false",
		"CLOUDFLARE_CF_FETCH_ENABLED=false", // no request to workers.cloudflare.com for Request.cf
		"NO_COLOR=1",
		// not CI=1: it silences the Worker's console (and Go's log lines)
	)
}

// config is the wrangler.toml of the test Worker.
func (o Options) config() string {
	if o.Config != "" {
		return o.Config
	}
	return fmt.Sprintf(testConfig, Cron)
}
