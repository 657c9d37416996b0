package workertest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/paylastic/edge/internal/testsupport"
)

// Env is a Worker running under wrangler dev.
type Env struct {
	URL      string            // http://127.0.0.1:port, also the Worker's PUBLIC_BASE_URL
	Vars     map[string]string // the Worker's vars and secrets
	Outbound *Outbound         // the upstream APIs the Worker calls
	Dir      string            // the wrangler project: config, Worker files, local state
	// Inspector is wrangler dev's DevTools inspector, http://127.0.0.1:port
	// (its /json lists the Worker's targets), for CPU profiles in workerd.
	Inspector string

	cmd    *exec.Cmd
	out    *syncBuffer
	exited chan struct{}
	once   sync.Once
	err    error // wrangler's exit, once exited is closed
}

// testConfig is the wrangler configuration of a test Worker: the shape of
// the repository's wrangler.toml without its [build] step (the Worker is
// built already) and with throwaway KV namespace and D1 database ids.
const testConfig = `name = "paylastic-edge-test"
main = "worker.mjs"
compatibility_date = "2026-04-20"
send_metrics = false

[[kv_namespaces]]
binding = "KV"
id = "workertest"

[[d1_databases]]
binding = "DB"
database_name = "paylastic"
database_id = "00000000-0000-0000-0000-000000000000"

[triggers]
crons = ["%s"]
`

// Launch starts wrangler dev (local mode) for the Worker o.Files, on
// 127.0.0.1 and a free port, with its own KV state, and waits until
// GET /healthz answers 200. The default vars are PUBLIC_BASE_URL (the
// Worker's URL), ADMIN_TOKEN, LINK_SECRET and DATA_KEY (the constants
// above), SANDBOX_BANK=1, PAYLASTIC_TEST_HOOKS=1, and TELEGRAM_API_URL,
// VIBER_API_URL, MONOBANK_API_URL and LIQPAY_API_URL pointing at Outbound.
// The caller must Close the Env.
func Launch(o Options) (*Env, error) {
	if o.Files == nil {
		return nil, errors.New("no built Worker: set Options.Files (see WorkerFiles)")
	}
	root, err := testsupport.RepoRoot()
	if err != nil {
		return nil, err
	}
	cli := filepath.Join(root, "node_modules", "wrangler", "wrangler-dist", "cli.js")
	if _, err := os.Stat(cli); err != nil {
		return nil, fmt.Errorf("wrangler is not installed (run npm ci in %s): %w", root, err)
	}
	dir, err := os.MkdirTemp("", "wrangler-dev-")
	if err != nil {
		return nil, err
	}
	for _, f := range []string{"worker.mjs"} {
		if _, ok := o.Files[f]; !ok {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("built Worker has no %s", f)
		}
	}
	for f, b := range o.Files {
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), b, 0o644); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
	}
	ports, err := freePorts(2)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	e := &Env{
		URL:       "http://127.0.0.1:" + strconv.Itoa(ports[0]),
		Inspector: "http://127.0.0.1:" + strconv.Itoa(ports[1]),
		Outbound:  NewOutbound(),
		Dir:       dir,
		out:       &syncBuffer{},
		exited:    make(chan struct{}),
	}
	e.Vars = defaultVars(e.URL, e.Outbound.URL)
	for k, v := range o.Env {
		e.Vars[k] = v
	}
	vars, err := envFile(e.Vars)
	if err == nil {
		err = os.WriteFile(filepath.Join(dir, "test.env"), []byte(vars), 0o600)
	}
	if err == nil {
		err = os.WriteFile(filepath.Join(dir, "wrangler.toml"), []byte(o.config()), 0o644)
	}
	if err == nil {
		err = migrateD1(cli, dir)
	}
	if err != nil {
		e.cleanup()
		return nil, err
	}
	// node runs wrangler's CLI directly (not its bin/ wrapper, which only
	// re-spawns node), so the process we signal is the one that owns workerd.
	e.cmd = exec.Command("node", "--no-warnings", "--experimental-vm-modules", cli, "dev",
		"--config", filepath.Join(dir, "wrangler.toml"),
		"--ip", "127.0.0.1", "--port", strconv.Itoa(ports[0]),
		"--inspector-port", strconv.Itoa(ports[1]),
		"--persist-to", filepath.Join(dir, "state"),
		"--env-file", filepath.Join(dir, "test.env"),
		"--show-interactive-dev-session=false",
		"--log-level", "log", // "info" hides the Worker's console output
	)
	e.cmd.Dir = dir
	e.cmd.Env = wranglerEnv()
	e.cmd.Stdout, e.cmd.Stderr = e.out, e.out
	e.cmd.SysProcAttr = sysProcAttr()
	if err := e.cmd.Start(); err != nil {
		e.cleanup()
		return nil, fmt.Errorf("start wrangler: %w", err)
	}
	go func() { e.err = e.cmd.Wait(); close(e.exited) }()
	startup := o.Startup
	if startup == 0 {
		startup = 2 * time.Minute
	}
	wait := e.waitReady
	if o.NoProbe {
		wait = e.waitLog
	}
	if err := wait(startup); err != nil {
		out := e.Output()
		e.Close()
		return nil, fmt.Errorf("%w\nwrangler dev output:\n%s", err, out)
	}
	return e, nil
}

func (e *Env) waitReady(d time.Duration) error {
	deadline := time.Now().Add(d)
	c := &http.Client{Timeout: 5 * time.Second}
	for time.Now().Before(deadline) {
		select {
		case <-e.exited:
			return fmt.Errorf("wrangler dev exited: %v", e.err)
		default:
		}
		resp, err := c.Get(e.URL + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("wrangler dev did not answer GET /healthz within %v", d)
}

// waitLog waits for wrangler's "Ready on" line: the Worker is loaded and
// has served nothing yet.
func (e *Env) waitLog(d time.Duration) error {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		select {
		case <-e.exited:
			return fmt.Errorf("wrangler dev exited: %v", e.err)
		default:
		}
		if strings.Contains(e.Output(), "Ready on http") {
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("wrangler dev did not say it was ready within %v", d)
}

// Close stops wrangler dev, which stops and reaps workerd (SIGTERM to
// wrangler; SIGKILL to the whole process group after 10 s or for anything
// left over), closes the Outbound server and removes the project directory
// with its KV state.
func (e *Env) Close() error {
	e.once.Do(func() {
		if e.cmd != nil && e.cmd.Process != nil {
			terminate(e.cmd.Process)
			select {
			case <-e.exited:
			case <-time.After(10 * time.Second):
			}
			killGroup(e.cmd.Process)
			<-e.exited
		}
		e.cleanup()
	})
	return nil
}

func (e *Env) cleanup() {
	if e.Outbound != nil {
		e.Outbound.Close()
	}
	if e.Dir != "" {
		os.RemoveAll(e.Dir)
	}
}

// Output is what wrangler dev and the Worker (console, Go's stderr) printed.
func (e *Env) Output() string { return e.out.String() }

// WranglerPID is the process id of wrangler dev (node).
func (e *Env) WranglerPID() int { return e.cmd.Process.Pid }

// Scheduled runs the Worker's cron entry as the Cron Trigger would at time
// at (zero: now), through miniflare's /cdn-cgi/handler/scheduled, and
// reports whether it completed.
func (e *Env) Scheduled(ctx context.Context, at time.Time) error {
	u := e.URL + "/cdn-cgi/handler/scheduled?cron=" + strings.ReplaceAll(Cron, " ", "+")
	if !at.IsZero() {
		u += "&time=" + strconv.FormatInt(at.UnixMilli(), 10)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("scheduled: %w", err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	_, _ = b.ReadFrom(resp.Body)
	if resp.StatusCode != http.StatusOK || strings.TrimSpace(b.String()) != "ok" {
		return fmt.Errorf("scheduled: %d %s", resp.StatusCode, b.String())
	}
	return nil
}

// freePorts returns n distinct ports free on 127.0.0.1 right now.
func freePorts(n int) ([]int, error) {
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	ports := make([]int, 0, n)
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("free port: %w", err)
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

// syncBuffer collects a process's output; it keeps the last 1 MiB.
type syncBuffer struct {
	mu sync.Mutex
	b  []byte
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.b = append(s.b, p...)
	if over := len(s.b) - 1<<20; over > 0 {
		s.b = append(s.b[:0], s.b[over:]...)
	}
	return len(p), nil
}

func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return string(s.b) }
