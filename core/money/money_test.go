package money

import (
	"errors"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in     string
		limit  Amount
		want   Amount
		reason Reason
	}{
		{in: "12", want: 1200},
		{in: "12,5", want: 1250},
		{in: "12.50", want: 1250},
		{in: "12,05", want: 1205},
		{in: "1 200,00", want: 120000},
		{in: "1\u00a0200", want: 120000},
		{in: "1\u202f200.5", want: 120050},
		{in: "12 грн", want: 1200},
		{in: "12грн.", want: 1200},
		{in: "12uah", want: 1200},
		{in: "12 UAH", want: 1200},
		{in: "₴12", want: 1200},
		{in: "  7  ", want: 700},
		{in: ",50", want: 50},
		{in: "12,", want: 1200},
		{in: "999999,99", want: MaxAmount},
		{in: "", reason: Empty},
		{in: "   ", reason: Empty},
		{in: "грн", reason: Empty},
		{in: "abc", reason: NotANumber},
		{in: "1e9", reason: NotANumber},
		{in: "12,50,1", reason: NotANumber},
		{in: "1,200.00", reason: NotANumber},
		{in: "12 34", reason: NotANumber},
		{in: "1 2000", reason: NotANumber},
		{in: "0x10", reason: NotANumber},
		{in: "+5", reason: NotANumber},
		{in: ".", reason: NotANumber},
		{in: "１２", reason: NotANumber}, // full-width digits
		{in: "0", reason: Zero},
		{in: "0,00", reason: Zero},
		{in: "-5", reason: Negative},
		{in: "−5", reason: Negative},
		{in: "12.345", reason: TooPrecise},
		{in: "100 000 000", reason: TooLarge},
		{in: "1000000", reason: TooLarge},
		{in: "99999999999999999999", reason: TooLarge},
		{in: "500,01", limit: 500 * Hryvnia, reason: TooLarge},
		{in: "500", limit: 500 * Hryvnia, want: 50000},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := Parse(tt.in, tt.limit)
			if tt.reason != "" {
				var pe *ParseError
				if !errors.As(err, &pe) {
					t.Fatalf("Parse(%q) = %d, %v; want reason %s", tt.in, got, err, tt.reason)
				}
				if pe.Reason != tt.reason {
					t.Errorf("Parse(%q) reason = %s, want %s", tt.in, pe.Reason, tt.reason)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("Parse(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		a      Amount
		uk, en string
		dec    string
	}{
		{1200, "12,00 грн", "UAH 12.00", "12.00"},
		{1250, "12,50 грн", "UAH 12.50", "12.50"},
		{5, "0,05 грн", "UAH 0.05", "0.05"},
		{120000, "1\u202f200,00 грн", "UAH 1,200.00", "1200.00"},
		{MaxAmount, "999\u202f999,99 грн", "UAH 999,999.99", "999999.99"},
		{-1250, "-12,50 грн", "UAH -12.50", "-12.50"},
	}
	for _, tt := range tests {
		if got := tt.a.Format("uk"); got != tt.uk {
			t.Errorf("Format(uk) of %d = %q, want %q", tt.a, got, tt.uk)
		}
		if got := tt.a.Format("en"); got != tt.en {
			t.Errorf("Format(en) of %d = %q, want %q", tt.a, got, tt.en)
		}
		if got := tt.a.Decimal(); got != tt.dec {
			t.Errorf("Decimal of %d = %q, want %q", tt.a, got, tt.dec)
		}
	}
}

// FuzzParse checks that Parse never panics and that whatever it accepts is a
// positive amount within the limit that survives a round trip through Decimal.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"12", "12,50", "1 200,00", "12 грн", "-5", "1e9", "12.345", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := Parse(s, 0)
		if err != nil {
			return
		}
		if a <= 0 || a > MaxAmount {
			t.Fatalf("Parse(%q) = %d: out of range", s, a)
		}
		b, err := Parse(a.Decimal(), 0)
		if err != nil || b != a {
			t.Fatalf("round trip of %q: %d -> %q -> %d, %v", s, a, a.Decimal(), b, err)
		}
	})
}

func TestWithin(t *testing.T) {
	tests := []struct {
		a, limit Amount
		tooLarge bool
		shown    Amount // the limit the error names
	}{
		{1250, 5000 * Hryvnia, false, 0},
		{5000 * Hryvnia, 5000 * Hryvnia, false, 0},
		{5000*Hryvnia + 1, 5000 * Hryvnia, true, 5000 * Hryvnia},
		{MaxAmount, 0, false, 0},
		{MaxAmount + 1, 0, true, MaxAmount},
	}
	for _, tt := range tests {
		err := Within(tt.a, tt.limit)
		var pe *ParseError
		if got := errors.As(err, &pe) && pe.Reason == TooLarge; got != tt.tooLarge {
			t.Errorf("Within(%d, %d) = %v, want too large %v", tt.a, tt.limit, err, tt.tooLarge)
			continue
		}
		if tt.tooLarge && pe.Limit != tt.shown {
			t.Errorf("Within(%d, %d) names limit %d, want %d", tt.a, tt.limit, pe.Limit, tt.shown)
		}
	}
}
