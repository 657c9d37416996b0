package host_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/paylastic/edge/core/telegram"
	"github.com/paylastic/edge/wasm/devconsole"
	"github.com/paylastic/edge/wasm/host"
	"github.com/paylastic/edge/wasm/hosttest"
)

// modes are the harness's two ways to run the guest.
var modes = []struct {
	name string
	opts hosttest.Options
}{
	{"pooled", hosttest.Options{}},
	{"fresh", hosttest.Options{Fresh: true}},
}

// shopEnv starts the harness with the dev console, a merchant whose
// operator is the console's Telegram user, and one check; it returns the
// check's payment link.
func shopEnv(tb testing.TB, o hosttest.Options) (*hosttest.Env, string) {
	tb.Helper()
	o.Console = true
	e := hosttest.Start(tb, o)
	code, body := request(tb, "POST", e.URL+"/admin/merchants", hosttest.AdminToken, `{"name":"Кавʼярня Ранок"}`)
	var m struct {
		Code string `json:"activation_code"`
	}
	if err := json.Unmarshal([]byte(body), &m); code != 201 || err != nil {
		tb.Fatalf("create merchant = %d %s", code, body)
	}
	post(tb, e.URL+"/dev/api/send", `{"via":"telegram","lang":"uk","text":"`+m.Code+`"}`, nil)
	post(tb, e.URL+"/dev/api/send", `{"via":"telegram","lang":"uk","text":"12"}`, nil)
	_, chat := request(tb, "GET", e.URL+"/dev/api/chat?via=telegram", "", "")
	link := checkLinkRE.FindString(chat)
	if link == "" {
		tb.Fatalf("no payment link in the chat: %s", chat)
	}
	return e, link
}

func post(tb testing.TB, url, body string, header map[string]string) {
	tb.Helper()
	req, _ := http.NewRequest("POST", url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		tb.Fatalf("POST %s = %d %s", url, resp.StatusCode, b)
	}
}

// BenchmarkRequest is the harness's cost of one request in each mode: the
// health check, a payment page, and a Telegram update that creates a check
// (the bot sends its QR to the console's fake Telegram API).
func BenchmarkRequest(b *testing.B) {
	for _, m := range modes {
		b.Run(m.name, func(b *testing.B) {
			e, link := shopEnv(b, m.opts)
			var update atomic.Int64
			update.Store(1000)
			for _, r := range []struct {
				name string
				do   func(b *testing.B)
			}{
				{"healthz", func(b *testing.B) {
					if code, _ := request(b, "GET", e.URL+"/healthz", "", ""); code != 200 {
						b.Fatal(code)
					}
				}},
				{"page", func(b *testing.B) {
					if code, _ := request(b, "GET", link, "", ""); code != 200 {
						b.Fatal(code)
					}
				}},
				{"telegram", func(b *testing.B) {
					n := update.Add(1)
					post(b, e.URL+telegram.WebhookPath, telegramUpdate(n, "12"), map[string]string{telegram.SecretHeader: "test-webhook-secret"})
				}},
			} {
				b.Run(r.name, func(b *testing.B) {
					r.do(b) // warm: the pooled instance exists
					b.ResetTimer()
					for b.Loop() {
						r.do(b)
					}
				})
			}
		})
	}
}

// telegramUpdate is a message from the console's operator, as Telegram
// delivers it.
func telegramUpdate(n int64, text string) string {
	return fmt.Sprintf(`{"update_id":%d,"message":{"message_id":%d,"date":%d,"text":%q,`+
		`"from":{"id":%d,"is_bot":false,"first_name":"Оля","language_code":"uk"},"chat":{"id":%d,"type":"private"}}}`,
		n, n, time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC).Unix(), text, devconsole.ChatID, devconsole.ChatID)
}

// BenchmarkBurst sends 300 requests at once to a payment page, as a crowd
// of buyers (or a load balancer's retry storm) might, and reports their
// p95 latency and the process's resident memory before and at its peak.
// "unbounded" is the harness before the pool: a fresh instance per request
// and no admission limit. Every run is bounded: 300 requests per burst, a
// 60 s client timeout each.
func BenchmarkBurst(b *testing.B) {
	const parallel = 300
	cases := append(modes[:len(modes):len(modes)], struct {
		name string
		opts hosttest.Options
	}{"unbounded", hosttest.Options{Fresh: true, Limits: host.Limits{MaxInstances: parallel, MaxWaiting: parallel}}})
	for _, m := range cases {
		b.Run(m.name, func(b *testing.B) {
			_, link := shopEnv(b, m.opts)
			client := &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: parallel}}
			debug.FreeOSMemory()
			before := rssMiB()
			var lat []time.Duration
			var peak atomic.Int64
			var statuses sync.Map
			stop := make(chan struct{})
			sampled := make(chan struct{})
			go func() { // samples RSS while the bursts run
				defer close(sampled)
				for {
					peak.Store(max(peak.Load(), int64(rssMiB())))
					select {
					case <-stop:
						return
					case <-time.After(10 * time.Millisecond):
					}
				}
			}()
			b.ResetTimer()
			for b.Loop() {
				var mu sync.Mutex
				var wg sync.WaitGroup
				for range parallel {
					wg.Go(func() {
						start := time.Now()
						code := 0
						if resp, err := client.Get(link); err == nil {
							_, _ = io.Copy(io.Discard, resp.Body)
							resp.Body.Close()
							code = resp.StatusCode
						}
						n, _ := statuses.LoadOrStore(code, new(atomic.Int64))
						n.(*atomic.Int64).Add(1)
						mu.Lock()
						lat = append(lat, time.Since(start))
						mu.Unlock()
					})
				}
				wg.Wait()
			}
			b.StopTimer()
			close(stop)
			<-sampled
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)*95/100].Milliseconds()), "p95-ms")
			b.ReportMetric(float64(before), "rss-before-MiB")
			b.ReportMetric(float64(peak.Load()), "rss-peak-MiB")
			statuses.Range(func(k, v any) bool {
				b.ReportMetric(float64(v.(*atomic.Int64).Load())/float64(b.N), fmt.Sprintf("status-%d/burst", k))
				return true
			})
		})
	}
}

// rssMiB is this process's resident memory (Linux; 0 elsewhere).
func rssMiB() int {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if v, ok := strings.CutPrefix(s.Text(), "VmRSS:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			return kb >> 10
		}
	}
	return 0
}
