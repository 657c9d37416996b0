package workertest

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"time"
)

// WorkerdPIDs finds wrangler dev's two workerd processes: the one running
// the Worker (and its Durable Objects; it listens on an ephemeral port, with
// an inspector) and the entry proxy on the public port. Linux only (/proc).
func (e *Env) WorkerdPIDs() (user, proxy int, err error) {
	port := strings.TrimPrefix(e.URL, "http://127.0.0.1:")
	for _, pid := range children(e.WranglerPID()) {
		cmd, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
		c := string(bytes.ReplaceAll(cmd, []byte{0}, []byte{' '}))
		if !strings.Contains(c, "workerd serve") {
			continue
		}
		if strings.Contains(c, "entry=127.0.0.1:"+port+" ") {
			proxy = pid
		} else {
			user = pid
		}
	}
	if user == 0 || proxy == 0 {
		return 0, 0, fmt.Errorf("workerd processes of wrangler %d not found (user %d, proxy %d)", e.WranglerPID(), user, proxy)
	}
	return user, proxy, nil
}

func children(pid int) []int {
	var out []int
	ents, _ := os.ReadDir("/proc")
	for _, d := range ents {
		p, err := strconv.Atoi(d.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", p))
		if err != nil {
			continue
		}
		f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
		if len(f) > 1 && f[1] == strconv.Itoa(pid) {
			out = append(out, p)
		}
	}
	return out
}

var clkTck = func() int {
	b, err := exec.Command("getconf", "CLK_TCK").Output()
	if v, err2 := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && err2 == nil && v > 0 {
		return v
	}
	return 100
}()

// ProcessCPU is the user+system CPU time of process pid so far
// (/proc/pid/stat utime+stime, fields 14 and 15).
func ProcessCPU(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * time.Second / time.Duration(clkTck), nil
}

// Median is the median of v (the mean of the middle two for an even count).
func Median[T ~int64 | ~float64](v []T) T {
	v = slices.Sorted(slices.Values(v))
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}

// EnvInt is the positive integer in the environment variable name (a
// bench's knob), or def.
func EnvInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}
