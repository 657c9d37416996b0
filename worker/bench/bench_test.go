//go:build workerbench

package bench

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	tgfake "github.com/paylastic/edge/fakes/telegram"
	"github.com/paylastic/edge/worker/workertest"
)

const (
	tgToken  = "123456:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	tgSecret = "bench-webhook-secret"
)

// workload is one kind of request, measured n times per run.
type workload struct {
	name string
	env  *workertest.Env
	req  func(i int) *http.Request
}

// sample is one run of one workload.
type sample struct {
	user, proxy, wall time.Duration // per request
}

// TestBench reports the bundle sizes and workerd CPU per request. Knobs:
// PAYLASTIC_BENCH_N requests per run (200), PAYLASTIC_BENCH_RUNS runs (5),
// PAYLASTIC_BENCH_APP the built Worker's directory (build/, from make worker).
func TestBench(t *testing.T) {
	workertest.Skip(t)
	n, runs := workertest.EnvInt("PAYLASTIC_BENCH_N", 200), workertest.EnvInt("PAYLASTIC_BENCH_RUNS", 5)
	root, err := workertest.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	appDir := os.Getenv("PAYLASTIC_BENCH_APP")
	if appDir == "" {
		appDir = filepath.Join(root, "build")
	}
	app, err := workertest.ReadWorker(appDir)
	if err != nil {
		t.Fatalf("%v (run make worker first)", err)
	}
	helloDir := t.TempDir()
	if err := workertest.Build(root, helloDir, "./worker/bench/hello"); err != nil {
		t.Fatal(err)
	}
	hello, err := workertest.ReadWorker(helloDir)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("bundle: app.wasm %s; hello %s", size(t, app["app.wasm"]), size(t, hello["app.wasm"]))

	he, err := workertest.Launch(workertest.Options{Files: hello})
	if err != nil {
		t.Fatal(err)
	}
	defer he.Close()
	ae, err := workertest.Launch(workertest.Options{Files: app, Env: map[string]string{
		"TELEGRAM_BOT_TOKEN":      tgToken,
		"TELEGRAM_WEBHOOK_SECRET": tgSecret,
		"PAYLASTIC_TEST_HOOKS":    "0",
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer ae.Close()
	fake := tgfake.New(tgToken)
	ae.Outbound.Handle("telegram", fake)
	const chat = 4242
	activate(t, ae, fake, chat)
	link := newCheck(t, ae, fake, chat, 1)

	update := int64(1_000_000)
	works := []workload{
		{"hello-world Worker: GET /", he, func(int) *http.Request { return get(he.URL + "/") }},
		{"GET /healthz", ae, func(int) *http.Request { return get(ae.URL + "/healthz") }},
		{"GET payment page /p/{ref}", ae, func(int) *http.Request { return get(link) }},
		{"Telegram amount update (new check + QR upload)", ae, func(int) *http.Request {
			update++
			return tgUpdate(ae, update, fake.NextMessageID(chat), chat, "12,50")
		}},
		// the same webhook path without the QR, the upload and the write:
		// what the difference to the line above costs
		{"Telegram bad amount update (a text reply)", ae, func(int) *http.Request {
			update++
			return tgUpdate(ae, update, fake.NextMessageID(chat), chat, "12,345")
		}},
	}
	for _, w := range works { // warm up: V8 tiers the module up over the first requests
		measure(t, w, 20)
	}
	results := make([][]sample, len(works))
	for r := 0; r < runs; r++ {
		for i, w := range works {
			results[i] = append(results[i], measure(t, w, n))
		}
	}
	var out strings.Builder
	fmt.Fprintf(&out, "workerd CPU per request, median of %d runs of %d requests (user workerd = the one running the Worker; proxy = wrangler's entry workerd):\n", runs, n)
	fmt.Fprintf(&out, "%-50s %14s %14s %12s   runs (user ms)\n", "workload", "user workerd", "+proxy", "wall")
	for i, w := range works {
		u, p, wall := median(results[i], func(s sample) time.Duration { return s.user }),
			median(results[i], func(s sample) time.Duration { return s.proxy }),
			median(results[i], func(s sample) time.Duration { return s.wall })
		var each []string
		for _, s := range results[i] {
			each = append(each, ms(s.user))
		}
		fmt.Fprintf(&out, "%-50s %11s ms %11s ms %9s ms   %s\n", w.name, ms(u), ms(u+p), ms(wall), strings.Join(each, " "))
	}
	t.Log("\n" + out.String())
}

// measure sends n requests of w one after another and returns the workerd
// CPU and wall time per request.
func measure(t *testing.T, w workload, n int) sample {
	t.Helper()
	user, proxy := workerdPIDs(t, w.env)
	u0, p0, start := cpu(t, user), cpu(t, proxy), time.Now()
	for i := 0; i < n; i++ {
		resp, err := http.DefaultClient.Do(w.req(i))
		if err != nil {
			t.Fatalf("%s: %v", w.name, err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("%s: status %d", w.name, resp.StatusCode)
		}
	}
	wall := time.Since(start)
	u1, p1 := cpu(t, user), cpu(t, proxy)
	return sample{user: (u1 - u0) / time.Duration(n), proxy: (p1 - p0) / time.Duration(n), wall: wall / time.Duration(n)}
}

// workerdPIDs and cpu are workertest's, failing t.
func workerdPIDs(t *testing.T, e *workertest.Env) (user, proxy int) {
	t.Helper()
	user, proxy, err := e.WorkerdPIDs()
	if err != nil {
		t.Fatal(err)
	}
	return user, proxy
}

func cpu(t *testing.T, pid int) time.Duration {
	t.Helper()
	d, err := workertest.ProcessCPU(pid)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func median(s []sample, f func(sample) time.Duration) time.Duration {
	v := make([]time.Duration, len(s))
	for i := range s {
		v[i] = f(s[i])
	}
	return workertest.Median(v)
}

func ms(d time.Duration) string {
	return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 2, 64)
}

// size formats raw and gzip -9 sizes (the gzip binary, else compress/gzip).
func size(t *testing.T, b []byte) string {
	var gz int
	cmd := exec.Command("gzip", "-9", "-c")
	cmd.Stdin = bytes.NewReader(b)
	if out, err := cmd.Output(); err == nil {
		gz = len(out)
	} else {
		var buf bytes.Buffer
		w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		w.Write(b)
		w.Close()
		gz = buf.Len()
	}
	return fmt.Sprintf("%d B raw, %d B gzip -9", len(b), gz)
}

func get(u string) *http.Request {
	r, _ := http.NewRequest("GET", u, nil)
	return r
}

func tgUpdate(e *workertest.Env, update int64, msgID int, chat int64, text string) *http.Request {
	b, _ := json.Marshal(map[string]any{
		"update_id": update,
		"message": map[string]any{
			"message_id": msgID, "date": time.Now().Unix(), "text": text,
			"chat": map[string]any{"id": chat, "type": "private", "first_name": "Оля"},
			"from": map[string]any{"id": chat, "is_bot": false, "first_name": "Оля", "language_code": "uk"},
		},
	})
	r, _ := http.NewRequest("POST", e.URL+"/telegram/webhook", bytes.NewReader(b))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("X-Telegram-Bot-Api-Secret-Token", tgSecret)
	return r
}

// activate registers a merchant and makes chat its operator.
func activate(t *testing.T, e *workertest.Env, fake *tgfake.Server, chat int64) {
	t.Helper()
	req, _ := http.NewRequest("POST", e.URL+"/admin/merchants", strings.NewReader(`{"name":"Кавʼярня Ранок"}`))
	req.Header.Set("Authorization", "Bearer "+workertest.AdminToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Code string `json:"activation_code"`
	}
	err = json.NewDecoder(resp.Body).Decode(&m)
	resp.Body.Close()
	if err != nil || m.Code == "" {
		t.Fatalf("create merchant: %d %v", resp.StatusCode, err)
	}
	send(t, tgUpdate(e, 1, fake.NextMessageID(chat), chat, m.Code))
}

// newCheck creates a check and returns its payment link.
func newCheck(t *testing.T, e *workertest.Env, fake *tgfake.Server, chat int64, update int64) string {
	t.Helper()
	send(t, tgUpdate(e, 100+update, fake.NextMessageID(chat), chat, "12,50"))
	msgs := fake.Messages(chat)
	link := regexp.MustCompile(regexp.QuoteMeta(e.URL) + `/p/[A-Za-z0-9_-]+`).FindString(msgs[len(msgs)-1].Plain)
	if link == "" {
		t.Fatalf("no payment link in %+v", msgs)
	}
	return link
}

func send(t *testing.T, r *http.Request) {
	t.Helper()
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("%s %s = %d", r.Method, r.URL.Path, resp.StatusCode)
	}
}
