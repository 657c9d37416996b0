package check

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/paylastic/edge/internal/testsupport"
)

// TestApplyRecordsRefundAsked: the product's mark that a refund was asked
// rides on an event, is recorded once, and stays until the reversal.
func TestApplyRecordsRefundAsked(t *testing.T) {
	s := NewState()
	s.Apply(Event{Provider: "monobank", ProviderRef: "a", Status: AttemptSuccess, Modified: testsupport.T0}, testsupport.T0)
	asked := testsupport.T0.Add(time.Minute)
	steps := []struct {
		name        string
		ev          Event
		wantChanged bool
		wantPending bool // RefundPending after the step
		wantStatus  Status
		wantNotices int
	}{
		{"asked, the bank still says success", Event{ProviderRef: "a", Status: AttemptSuccess, Modified: testsupport.T0, RefundAsked: asked}, true, true, Paid, 0},
		{"asked again", Event{ProviderRef: "a", Status: AttemptPending, RefundAsked: asked.Add(time.Minute)}, false, true, Paid, 0},
		{"the bank's word without the mark", Event{ProviderRef: "a", Status: AttemptSuccess, Modified: testsupport.T0}, false, true, Paid, 0},
		{"reversed", Event{ProviderRef: "a", Status: AttemptReversed, Modified: testsupport.T0.Add(5 * time.Minute)}, true, false, Refunded, 1},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			changed, ns := s.Apply(st.ev, testsupport.T0.Add(10*time.Minute))
			a, _ := s.Attempt("a")
			if changed != st.wantChanged || a.RefundPending() != st.wantPending || s.Status != st.wantStatus || len(ns) != st.wantNotices {
				t.Errorf("changed %v, refund pending %v, status %s, %d notices; want %v, %v, %s, %d",
					changed, a.RefundPending(), s.Status, len(ns), st.wantChanged, st.wantPending, st.wantStatus, st.wantNotices)
			}
			if !a.RefundAsked.Equal(asked) {
				t.Errorf("refund asked at %v, want the first mark %v", a.RefundAsked, asked)
			}
		})
	}
}

// TestRefundAskedIsOmittedWhenZero: states stored before the field existed,
// and attempts never refunded, keep their exact JSON.
func TestRefundAskedIsOmittedWhenZero(t *testing.T) {
	tests := []struct {
		name string
		a    Attempt
		want bool // "refund_asked" in the JSON
	}{
		{"never refunded", Attempt{ProviderRef: "a", Status: AttemptSuccess, Created: testsupport.T0}, false},
		{"refund asked", Attempt{ProviderRef: "a", Status: AttemptSuccess, Created: testsupport.T0, RefundAsked: testsupport.T0}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(tt.a)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Contains(string(b), `"refund_asked"`); got != tt.want {
				t.Errorf("JSON %s has refund_asked = %v, want %v", b, got, tt.want)
			}
			var back Attempt
			if err := json.Unmarshal(b, &back); err != nil || !back.RefundAsked.Equal(tt.a.RefundAsked) {
				t.Errorf("round trip = %+v, %v", back, err)
			}
		})
	}
}
