package bench

// Not behind the workerbench tag: make test reads a profile made here by
// hand, so that the summary TestProfile writes cannot drift unseen.

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// cpuProfile is the part of DevTools' Profile read here.
type cpuProfile struct {
	Nodes []struct {
		ID        int `json:"id"`
		CallFrame struct {
			FunctionName string `json:"functionName"`
			URL          string `json:"url"`
		} `json:"callFrame"`
		Children []int `json:"children"`
	} `json:"nodes"`
	Samples    []int   `json:"samples"`
	TimeDeltas []int64 `json:"timeDeltas"`
}

// sampleCap is the most one sample may count, for a sampling interval
// of interval µs: twice the interval, and never under 1 ms. The time to
// the next sample is charged to the frame a sample landed in, so a thread
// that was elsewhere for 150 ms (descheduled by a busy neighbour, or
// running the KV and D1 simulators' isolates) charges those 150 ms to
// whatever Go was doing (one encoding/json frame, in a run of the Telegram
// QR, looked like 0.74 ms a request); capped, a gap counts as one sample.
func sampleCap(interval int) int64 {
	return max(1000, 2*int64(interval))
}

// summarize lists the 30 functions with the most self time and the 30
// with the most total time (each counted once per stack), in ms per
// request of n, each sample counted at most capUS µs (sampleCap); "(idle)"
// and "(program)" are left out, and the time cut off gaps is printed.
func summarize(file string, n int, capUS int64) (string, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return "", err
	}
	var p cpuProfile
	if err := json.Unmarshal(b, &p); err != nil {
		return "", fmt.Errorf("%s: %w", file, err)
	}
	parent := map[int]int{}
	name := map[int]string{}
	for _, nd := range p.Nodes {
		name[nd.ID] = nd.CallFrame.FunctionName
		if name[nd.ID] == "" {
			name[nd.ID] = "(anonymous " + filepath.Base(nd.CallFrame.URL) + ")"
		}
		for _, c := range nd.Children {
			parent[c] = nd.ID
		}
	}
	self, total := map[string]int64{}, map[string]int64{}
	var busy, cut int64
	for i, id := range p.Samples {
		if i+1 >= len(p.TimeDeltas) {
			break
		}
		d := p.TimeDeltas[i+1] // µs until the next sample
		if name[id] == "(idle)" || name[id] == "(program)" || name[id] == "(root)" {
			continue
		}
		if d > capUS {
			cut += d - capUS
			d = capUS
		}
		busy += d
		self[name[id]] += d
		seen := map[string]bool{}
		for x := id; x != 0; x = parent[x] {
			if !seen[name[x]] {
				seen[name[x]] = true
				total[name[x]] += d
			}
		}
	}
	per := func(us int64) string { return fmt.Sprintf("%7.3f", float64(us)/1000/float64(n)) }
	top := func(m map[string]int64) string {
		type kv struct {
			k string
			v int64
		}
		var l []kv
		for k, v := range m {
			l = append(l, kv{k, v})
		}
		sort.Slice(l, func(i, j int) bool { return l[i].v > l[j].v || l[i].v == l[j].v && l[i].k < l[j].k })
		var s strings.Builder
		for i := 0; i < len(l) && i < 30; i++ {
			fmt.Fprintf(&s, "  %s ms  %s\n", per(l[i].v), l[i].k)
		}
		return s.String()
	}
	return fmt.Sprintf("JavaScript and Go in the Worker's isolate: %s ms per request (samples capped at %d µs; %s ms per request of gaps left out)\nself:\n%stotal:\n%s",
		per(busy), capUS, strings.TrimSpace(per(cut)), top(self), top(total)), nil
}

func TestSummarizeCapsGaps(t *testing.T) {
	// (root) → serve → encode, and (idle). encode's second sample is
	// followed by a 150 ms gap: the thread was elsewhere.
	profile := `{"nodes":[
		{"id":1,"callFrame":{"functionName":"(root)"},"children":[2,4]},
		{"id":2,"callFrame":{"functionName":"serve"},"children":[3]},
		{"id":3,"callFrame":{"functionName":"encode"}},
		{"id":4,"callFrame":{"functionName":"(idle)"}}],
		"samples":[3,3,2,4,3],
		"timeDeltas":[0,100,150000,100,5000]}`
	file := filepath.Join(t.TempDir(), "p.cpuprofile")
	if err := os.WriteFile(file, []byte(profile), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := summarize(file, 1, sampleCap(50))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"1.200 ms per request (samples capped at 1000 µs; 149.000 ms per request of gaps left out)",
		"self:\n    1.100 ms  encode\n    0.100 ms  serve\n",
		"total:\n    1.200 ms  (root)\n    1.200 ms  serve\n    1.100 ms  encode\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("summary lacks %q:\n%s", want, got)
		}
	}
	if sampleCap(1000) != 2000 {
		t.Errorf("sampleCap(1000) = %d, want 2000", sampleCap(1000))
	}
}
