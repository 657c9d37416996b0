// Package testsupport holds what the tests of many packages share: a fixed
// start time, a clock the test moves, a seeded random source, golden files,
// a log buffer, an http.RoundTripper from a function and a browser without
// JavaScript (browser.go). It is imported by tests only; nothing in the
// product depends on it.
package testsupport

import (
	"bytes"
	"flag"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// Update is the -update flag of every package with golden files: rewrite
// testdata/*.golden from what the test got (go test ./core/bot -update).
var Update = flag.Bool("update", false, "rewrite testdata/*.golden")

// T0 is the tests' start time: 12:00 in Kyiv (EET), a Thursday.
var T0 = time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)

// Clock is a clock the test moves; safe for concurrent use, so the product
// and the fakes may share one.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a clock at t.
func NewClock(t time.Time) *Clock { return &Clock{now: t} }

// Now is the clock's time.
func (c *Clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

// Advance moves the clock on by d.
func (c *Clock) Advance(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

// Set puts the clock at t.
func (c *Clock) Set(t time.Time) { c.mu.Lock(); c.now = t; c.mu.Unlock() }

// Rand is a deterministic random source (ChaCha8 from seed), safe for
// concurrent use.
func Rand(seed byte) *SeededRand {
	return &SeededRand{r: rand.NewChaCha8([32]byte{seed})}
}

// SeededRand is the io.Reader Rand returns.
type SeededRand struct {
	mu sync.Mutex
	r  *rand.ChaCha8
}

func (s *SeededRand) Read(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.r.Read(p)
}

// Golden compares got with testdata/name.golden, or rewrites the file with
// -update.
func Golden(t testing.TB, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *Update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (rewrite it with go test -update): %v", err)
	}
	if got != string(want) {
		t.Errorf("%s: got\n%s\nwant\n%s", path, got, want)
	}
}

// LogBuf collects log output; safe for concurrent use.
type LogBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *LogBuf) Write(p []byte) (int, error) { l.mu.Lock(); defer l.mu.Unlock(); return l.b.Write(p) }

// String is everything logged so far.
func (l *LogBuf) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }

// Logger logs text lines into l, debug level included.
func (l *LogBuf) Logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(l, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// Discard is a logger that drops everything: the product always has a
// logger, tests that do not read it give this one.
func Discard() *slog.Logger { return slog.New(slog.DiscardHandler) }

// RoundTripFunc is an http.RoundTripper from a function.
type RoundTripFunc func(*http.Request) (*http.Response, error)

func (f RoundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// RepoRoot is the directory of go.mod, where the Makefile, the guest's
// sources and node_modules are.
func RepoRoot() (string, error) {
	b, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	return filepath.Dir(strings.TrimSpace(string(b))), nil
}
