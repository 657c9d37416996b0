package sqlcas

import (
	"strings"
	"testing"
)

// TestStatements: Migrate runs schema.sql as wrangler d1 execute does, one
// statement at a time; a semicolon inside a statement would cut it short.
func TestStatements(t *testing.T) {
	got := Statements(Schema)
	if len(got) != 2 || !strings.HasPrefix(got[0], "CREATE TABLE IF NOT EXISTS records") || !strings.HasPrefix(got[1], "CREATE INDEX IF NOT EXISTS") {
		t.Fatalf("schema statements = %q; want the table and its index", got)
	}
	for _, s := range got {
		if strings.Count(s, ";") != 1 || !strings.HasSuffix(s, ";") || strings.Contains(s, "--") {
			t.Errorf("statement %q: want exactly one ending semicolon and no comment", s)
		}
	}
	tests := []struct{ in, want string }{
		{"-- c\nSELECT 1;\n\n  -- d\nSELECT\n  2;\n", "SELECT 1;|SELECT\n  2;"},
		{"SELECT 3", "SELECT 3"},
	}
	for _, tt := range tests {
		if got := strings.Join(Statements(tt.in), "|"); got != tt.want {
			t.Errorf("Statements(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
