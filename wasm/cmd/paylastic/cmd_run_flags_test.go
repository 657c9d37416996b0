package main

import (
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paylastic/edge/core/app"
	"github.com/paylastic/edge/wasm/hosttest"
)

func guestFile(t *testing.T) string {
	t.Helper()
	for _, k := range app.Vars { // the developer's shell must not leak in
		t.Setenv(k, "")
	}
	p := filepath.Join(t.TempDir(), "guest.wasm")
	if err := os.WriteFile(p, hosttest.GuestWasm(t), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestRunMemory: -memory writes nothing: no data directory, no generated
// secrets file, and the welcome says so.
func TestRunMemory(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	r := startRun(t, data, guestFile(t), "-memory")
	if code, _ := call(t, "GET", r.url+"/healthz", "", ""); code != 200 {
		t.Fatalf("healthz = %d", code)
	}
	r.stop(t)
	if _, err := os.Stat(data); !os.IsNotExist(err) {
		entries, _ := os.ReadDir(data)
		t.Fatalf("run -memory made its data directory (%v): %v", err, entries)
	}
	if !strings.Contains(r.logs.String(), "-memory writes nothing") {
		t.Errorf("the welcome does not say where the admin token lives:\n%s", r.logs.String())
	}
}

// TestRunWelcome: during the guest's compile run says what it is doing and
// then how long it took; the first line of the welcome is the console's URL.
func TestRunWelcome(t *testing.T) {
	r := startRun(t, t.TempDir(), guestFile(t), "-memory")
	r.stop(t)
	logs := r.logs.String()
	compiling, ready := strings.Index(logs, "Compiling the guest"), strings.Index(logs, "Guest ready in ")
	if compiling < 0 || ready < compiling {
		t.Fatalf("no compile message, then its time:\n%s", logs)
	}
	rest := strings.TrimLeft(logs[strings.Index(logs[ready:], "\n")+ready:], "\n")
	first, _, _ := strings.Cut(rest, "\n")
	if want := "http://localhost:" + r.port + "/dev"; !strings.Contains(first, want) {
		t.Errorf("the welcome's first line is %q, want the console %s", first, want)
	}
}

// TestRunLogs: a guest log record is printed once, by the host's logger:
// one slog line with src=guest (no line of text wrapped in another), or
// one JSON object with -log-format json.
func TestRunLogs(t *testing.T) {
	wasm := guestFile(t)
	for _, format := range []string{"text", "json"} {
		t.Run(format, func(t *testing.T) {
			r := startRun(t, t.TempDir(), wasm, "-memory", "-log-format", format)
			var line string
			r.waitLog(t, "the scheduled pass", func(l string) bool {
				if strings.Contains(l, "scheduled pass") {
					line = l
					return true
				}
				return false
			})
			r.stop(t)
			if strings.Count(line, "time=") > 1 || strings.Count(line, `"time"`) > 1 || strings.Contains(line, `msg="time=`) {
				t.Errorf("a guest record wrapped in a host line: %s", line)
			}
			if format == "text" {
				if !strings.HasPrefix(line, "time=") || !strings.Contains(line, `msg="scheduled pass" src=guest seen=0`) {
					t.Errorf("text line = %s", line)
				}
				return
			}
			var rec map[string]any
			if err := json.Unmarshal([]byte(line), &rec); err != nil {
				t.Fatalf("json line %q: %v", line, err)
			}
			if rec["msg"] != "scheduled pass" || rec["src"] != "guest" || rec["seen"] != float64(0) || rec["level"] != "INFO" {
				t.Errorf("json record = %v", rec)
			}
		})
	}
}

func TestPickLAN(t *testing.T) {
	cidr := func(s string) net.Addr {
		ip, n, err := net.ParseCIDR(s)
		if err != nil {
			t.Fatal(err)
		}
		n.IP = ip
		return n
	}
	tests := []struct {
		name string
		ifs  []iface
		want string // "" for none
	}{
		{"wi-fi", []iface{{"wlan0", []net.Addr{cidr("192.168.1.23/24"), cidr("fe80::1/64")}}}, "192.168.1.23"},
		{"docker bridge skipped", []iface{{"docker0", []net.Addr{cidr("172.17.0.1/16")}}, {"wlp3s0", []net.Addr{cidr("10.0.0.5/8")}}}, "10.0.0.5"},
		{"home Wi-Fi over an office range", []iface{{"eth0", []net.Addr{cidr("10.1.2.3/16")}}, {"wlan0", []net.Addr{cidr("192.168.0.7/24")}}}, "192.168.0.7"},
		{"172.16/12 when it is all there is", []iface{{"en0", []net.Addr{cidr("172.20.10.2/28")}}}, "172.20.10.2"},
		{"VPN and VM networks skipped", []iface{{"tailscale0", []net.Addr{cidr("100.64.0.1/10")}}, {"wg0", []net.Addr{cidr("10.8.0.2/24")}}, {"virbr0", []net.Addr{cidr("192.168.122.1/24")}}}, ""},
		{"public and loopback only", []iface{{"eth0", []net.Addr{cidr("203.0.113.9/24")}}, {"lo", []net.Addr{cidr("127.0.0.1/8")}}}, ""},
		{"none", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := pickLAN(tt.ifs)
			if (got == nil && tt.want != "") || (got != nil && got.String() != tt.want) {
				t.Errorf("pickLAN = %v, want %q", got, tt.want)
			}
		})
	}
}

func TestLANListen(t *testing.T) {
	ip := net.ParseIP("192.168.1.23")
	for addr, want := range map[string]string{":8787": "192.168.1.23:8787", "127.0.0.1:9000": "192.168.1.23:9000", ":0": "192.168.1.23:0", "bad": "192.168.1.23:8787"} {
		if got := lanListen(addr, ip); got != want {
			t.Errorf("lanListen(%q) = %q, want %q", addr, got, want)
		}
	}
}
