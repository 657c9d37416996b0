package viber

import (
	"net/http"
	"testing"
)

func TestFailNext(t *testing.T) {
	f := newFake(t)
	f.FailNext("send_message", StatusTooManyRequests, 2)
	want := []struct{ status, msg string }{
		{"12", "tooManyRequests"},
		{"12", "tooManyRequests"},
		{"0", "ok"},
	}
	for i, w := range want {
		if i == 0 { // another method is not affected
			if a := f.post(t, "get_account_info", testToken, `{}`); a.status() != "0" {
				t.Errorf("get_account_info: got %s, want status 0", a.Raw)
			}
		}
		a := f.send(t, textBody("u1", "hi"))
		if a.HTTPStatus != 200 || a.status() != w.status || a.statusMsg() != w.msg {
			t.Errorf("call %d: got HTTP %d %s, want status %s %s", i, a.HTTPStatus, a.Raw, w.status, w.msg)
		}
	}
	if got := len(f.Messages("u1")); got != 1 {
		t.Errorf("Messages: got %d, want 1 (failed calls record nothing)", got)
	}
	var statuses []int
	for _, c := range f.Calls() {
		if c.Method == "send_message" {
			statuses = append(statuses, c.Status)
		}
	}
	if len(statuses) != 3 || statuses[0] != 12 || statuses[1] != 12 || statuses[2] != 0 {
		t.Errorf("logged statuses: got %v, want [12 12 0]", statuses)
	}
}

func TestFailNextOther(t *testing.T) {
	tests := []struct {
		name             string
		inject           func(*Server)
		wantHTTP         int
		wantStatus, want string
	}{
		{"unknown code is a general error", func(s *Server) { s.FailNext("send_message", 99, 1) }, 200, "99", "generalError"},
		{"any method", func(s *Server) { s.FailNext(AnyMethod, StatusPublicAccountBlocked, 1) }, 200, "7", "publicAccountBlocked"},
		{"transport 503", func(s *Server) { s.FailHTTP("send_message", http.StatusServiceUnavailable, 1) }, 503, "", ""},
		{"transport 502 any method", func(s *Server) { s.FailHTTP(AnyMethod, http.StatusBadGateway, 1) }, 502, "", ""},
		{"n of 0 does nothing", func(s *Server) { s.FailNext("send_message", 12, 0) }, 200, "0", "ok"},
		{"other method does nothing", func(s *Server) { s.FailHTTP("set_webhook", 500, 1) }, 200, "0", "ok"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t)
			tt.inject(f.Server)
			a := f.send(t, textBody("u1", "hi"))
			if a.HTTPStatus != tt.wantHTTP || a.status() != tt.wantStatus || a.statusMsg() != tt.want {
				t.Errorf("first call: got HTTP %d %s, want HTTP %d status %q %q", a.HTTPStatus, a.Raw, tt.wantHTTP, tt.wantStatus, tt.want)
			}
			if a := f.send(t, textBody("u1", "again")); a.status() != "0" {
				t.Errorf("second call: got HTTP %d %s, want status 0", a.HTTPStatus, a.Raw)
			}
		})
	}
}

func TestResetClearsFaults(t *testing.T) {
	f := newFake(t)
	f.FailNext("send_message", 12, 5)
	f.Reset()
	if a := f.send(t, textBody("u1", "hi")); a.status() != "0" {
		t.Errorf("after Reset: got %s, want status 0", a.Raw)
	}
}
