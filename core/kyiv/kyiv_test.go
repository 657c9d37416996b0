package kyiv

import (
	"testing"
	"time"
)

func TestIn(t *testing.T) {
	tests := []struct {
		utc  string
		want string
	}{
		{"2026-01-15T10:00:00Z", "2026-01-15 12:00 EET"},
		{"2026-03-29T00:59:59Z", "2026-03-29 02:59 EET"},
		{"2026-03-29T01:00:00Z", "2026-03-29 04:00 EEST"},
		{"2026-07-01T21:30:00Z", "2026-07-02 00:30 EEST"},
		{"2026-10-25T00:59:00Z", "2026-10-25 03:59 EEST"},
		{"2026-10-25T01:00:00Z", "2026-10-25 03:00 EET"},
	}
	for _, tt := range tests {
		u, _ := time.Parse(time.RFC3339, tt.utc)
		if got := In(u).Format("2006-01-02 15:04 MST"); got != tt.want {
			t.Errorf("In(%s) = %s, want %s", tt.utc, got, tt.want)
		}
	}
}
